package org.tandemcds.evaluate;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * One scored set: what one model (or one input condition) predicted for every case of a labelled
 * set, e.g. {@code "hybrid, both inputs"}, {@code "hybrid, note removed"}, {@code "image-only
 * model"}. A case is called positive for finding {@code k} when its probability is at least {@code
 * thresholds[k]}. Lists and arrays are copied.
 *
 * @throws CdsException {@code INVALID_ARGUMENT} when there are no findings or no cases, the
 *     thresholds or a case do not match the findings, a case id repeats, or a threshold is not a
 *     finite number
 */
public record Scores(
    String name, List<String> findings, double[] thresholds, List<ScoredCase> cases) {
  public Scores {
    Objects.requireNonNull(name, "name");
    findings = List.copyOf(findings);
    thresholds = thresholds.clone();
    cases = List.copyOf(cases);
    requireShape(name, findings, thresholds, cases);
  }

  @Override
  public double[] thresholds() {
    return thresholds.clone();
  }

  double threshold(int finding) {
    return thresholds[finding];
  }

  /** The probabilities of every case for one finding, in case order. */
  double[] probabilities(int finding) {
    return cases.stream().mapToDouble(c -> c.probability(finding)).toArray();
  }

  /** The labels of every case for one finding, in case order. */
  int[] labels(int finding) {
    return cases.stream().mapToInt(c -> c.label(finding)).toArray();
  }

  private static void requireShape(
      String name, List<String> findings, double[] thresholds, List<ScoredCase> cases) {
    if (findings.isEmpty() || cases.isEmpty()) {
      throw invalid(name, "needs at least one finding and one case");
    }
    if (thresholds.length != findings.size()) {
      throw invalid(
          name, "has " + thresholds.length + " thresholds for " + findings.size() + " findings");
    }
    for (double t : thresholds) {
      if (!Double.isFinite(t)) {
        throw invalid(name, "has a threshold that is not a finite number");
      }
    }
    Set<String> ids = new HashSet<>();
    for (ScoredCase c : cases) {
      if (c.labels().length != findings.size()) {
        throw invalid(name, "case " + c.caseId() + " does not have one value per finding");
      }
      if (!ids.add(c.caseId())) {
        throw invalid(name, "case " + c.caseId() + " appears twice");
      }
    }
  }

  private static CdsException invalid(String name, String reason) {
    return new CdsException(ErrorCode.INVALID_ARGUMENT, "scores \"" + name + "\" " + reason);
  }
}
