package org.tandemcds.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Computes every metric of one or more scored sets (see {@code docs/evaluation.md}) and compares
 * them pairwise. All sets must name the same findings in the same order and hold the same cases (by
 * case id, in any order) with the same labels, so that comparisons are paired. Deterministic: the
 * same input gives the same {@link Evaluation}. Immutable and thread-safe.
 */
public final class Evaluator {
  private final Bootstrap bootstrap;
  private final SetEvaluator setEvaluator;

  /** An evaluator with {@code resamples} bootstrap resamples drawn from {@code seed}. */
  public Evaluator(int resamples, long seed) {
    this.bootstrap = new Bootstrap(resamples, seed);
    this.setEvaluator = new SetEvaluator(bootstrap, Calibration.BINS);
  }

  /**
   * Evaluates the sets in order and compares every pair.
   *
   * @throws CdsException {@code INVALID_ARGUMENT} when no set is given, two sets share a name, or
   *     the sets differ in findings, cases or labels
   */
  public Evaluation evaluate(List<Scores> sets) {
    List<Scores> aligned = align(sets);
    List<SetMetrics> metrics = aligned.stream().map(setEvaluator::evaluate).toList();
    List<Comparison> comparisons = new ArrayList<>();
    for (int i = 0; i < aligned.size(); i++) {
      for (int j = i + 1; j < aligned.size(); j++) {
        comparisons.add(compare(aligned.get(i), aligned.get(j), metrics.get(i), metrics.get(j)));
      }
    }
    return new Evaluation(
        aligned.get(0).findings(),
        Calibration.BINS,
        bootstrap.resamples(),
        bootstrap.seed(),
        metrics,
        comparisons);
  }

  private Comparison compare(Scores a, Scores b, SetMetrics ma, SetMetrics mb) {
    List<String> names = ma.includedFindings();
    int[] findings = names.stream().mapToInt(a.findings()::indexOf).toArray();
    double difference = meanAuroc(ma, names) - meanAuroc(mb, names);
    return new Comparison(
        a.name(), b.name(), names, difference, bootstrap.macroAurocDifference(a, b, findings));
  }

  private static double meanAuroc(SetMetrics m, List<String> names) {
    return m.findings().stream()
        .filter(f -> names.contains(f.finding()))
        .mapToDouble(FindingMetrics::auroc)
        .average()
        .orElse(Double.NaN);
  }

  /** The sets with every set's cases in the first set's order, after checking they agree. */
  private static List<Scores> align(List<Scores> sets) {
    if (sets.isEmpty()) {
      throw invalid("no scored set to evaluate");
    }
    if (new HashSet<>(sets.stream().map(Scores::name).toList()).size() != sets.size()) {
      throw invalid("two scored sets share a name");
    }
    Scores first = sets.get(0);
    return sets.stream().map(s -> alignTo(first, s)).toList();
  }

  private static Scores alignTo(Scores first, Scores set) {
    if (!set.findings().equals(first.findings())) {
      throw invalid(
          "scores \"" + set.name() + "\" name other findings than \"" + first.name() + "\"");
    }
    Map<String, ScoredCase> byId =
        set.cases().stream().collect(Collectors.toMap(ScoredCase::caseId, Function.identity()));
    List<ScoredCase> ordered = new ArrayList<>();
    for (ScoredCase c : first.cases()) {
      ScoredCase match = byId.get(c.caseId());
      if (match == null || !Arrays.equals(match.labels(), c.labels())) {
        throw invalid(
            "scores \""
                + set.name()
                + "\" lack case "
                + c.caseId()
                + " or label it differently from \""
                + first.name()
                + "\"");
      }
      ordered.add(match);
    }
    if (set.cases().size() != ordered.size()) {
      throw invalid("scores \"" + set.name() + "\" hold cases that \"" + first.name() + "\" lacks");
    }
    return new Scores(set.name(), set.findings(), set.thresholds(), ordered);
  }

  private static CdsException invalid(String detail) {
    return new CdsException(ErrorCode.INVALID_ARGUMENT, detail);
  }
}
