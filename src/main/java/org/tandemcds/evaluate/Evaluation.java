package org.tandemcds.evaluate;

import java.util.List;

/**
 * The result of evaluating one or more scored sets over the same findings: per-set metrics in the
 * order given, and one {@link Comparison} for every pair of sets {@code (i, j)} with {@code i < j}
 * that hold the same cases.
 */
public record Evaluation(
    List<String> findings,
    int calibrationBins,
    int bootstrapResamples,
    long bootstrapSeed,
    List<SetMetrics> sets,
    List<Comparison> comparisons) {
  public Evaluation {
    findings = List.copyOf(findings);
    sets = List.copyOf(sets);
    comparisons = List.copyOf(comparisons);
  }
}
