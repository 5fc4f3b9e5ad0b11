package org.tandemcds.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/** The metrics of one scored set (package-private; see {@link Evaluator}). Thread-safe. */
final class SetEvaluator {
  private final Bootstrap bootstrap;
  private final int bins;

  SetEvaluator(Bootstrap bootstrap, int bins) {
    this.bootstrap = bootstrap;
    this.bins = bins;
  }

  SetMetrics evaluate(Scores set) {
    List<FindingMetrics> findings =
        IntStream.range(0, set.findings().size()).mapToObj(k -> finding(set, k)).toList();
    List<String> included = names(findings, true);
    int[] includedIndices =
        IntStream.range(0, findings.size()).filter(k -> findings.get(k).included()).toArray();
    List<ReliabilityBin> pooled = pooledBins(set);
    return new SetMetrics(
        set.name(),
        set.cases().size(),
        findings,
        included,
        names(findings, false),
        macro(findings, FindingMetrics::auroc),
        bootstrap.macroAuroc(set, includedIndices),
        macro(findings, FindingMetrics::averagePrecision),
        macro(findings, f -> f.atThreshold().sensitivity()),
        macro(findings, f -> f.atThreshold().specificity()),
        macro(findings, FindingMetrics::expectedCalibrationError),
        Calibration.expectedCalibrationError(pooled),
        pooled);
  }

  private FindingMetrics finding(Scores set, int k) {
    double[] p = set.probabilities(k);
    int[] y = set.labels(k);
    int positives = IntStream.of(y).sum();
    List<ReliabilityBin> reliability = Calibration.bins(p, y, bins);
    return new FindingMetrics(
        set.findings().get(k),
        positives,
        y.length - positives,
        positives > 0 && positives < y.length,
        Roc.auroc(p, y),
        AveragePrecision.of(p, y),
        ConfusionCounts.at(set.threshold(k), p, y),
        Calibration.expectedCalibrationError(reliability),
        Roc.curve(p, y),
        reliability);
  }

  private List<ReliabilityBin> pooledBins(Scores set) {
    List<Double> p = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    for (ScoredCase c : set.cases()) {
      for (int k = 0; k < set.findings().size(); k++) {
        p.add(c.probability(k));
        y.add(c.label(k));
      }
    }
    return Calibration.bins(
        p.stream().mapToDouble(Double::doubleValue).toArray(),
        y.stream().mapToInt(Integer::intValue).toArray(),
        bins);
  }

  /** Mean of a metric over the included findings; NaN when none is included. */
  private static double macro(List<FindingMetrics> findings, ToDoubleFunction<FindingMetrics> m) {
    return findings.stream()
        .filter(FindingMetrics::included)
        .mapToDouble(m)
        .average()
        .orElse(Double.NaN);
  }

  private static List<String> names(List<FindingMetrics> findings, boolean included) {
    return findings.stream()
        .filter(f -> f.included() == included)
        .map(FindingMetrics::finding)
        .toList();
  }
}
