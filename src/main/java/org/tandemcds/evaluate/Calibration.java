package org.tandemcds.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * Reliability bins and expected calibration error (ECE) of binary probabilities (Naeini, Cooper
 * &amp; Hauskrecht, AAAI 2015; Guo et al., ICML 2017, with the per-label probability rather than
 * the top-class confidence). The interval [0, 1] is cut into {@code B} equal-width bins; {@code p}
 * falls in bin {@code min(B − 1, ⌊B·p⌋)}, so bins are closed on the left and the last one holds
 * {@code p = 1}. Then {@code ECE = Σ_b (n_b / n) · |ȳ_b − p̄_b|}, where {@code ȳ_b} is the fraction
 * of positive labels and {@code p̄_b} the mean probability in bin {@code b}; empty bins add
 * nothing. Stateless and thread-safe.
 */
public final class Calibration {
  /** The number of bins Tandem's reports use. */
  public static final int BINS = 15;

  private Calibration() {}

  /** The {@code binCount} equal-width reliability bins of these probabilities and labels. */
  public static List<ReliabilityBin> bins(double[] probabilities, int[] labels, int binCount) {
    int[] count = new int[binCount];
    double[] probabilitySum = new double[binCount];
    int[] positives = new int[binCount];
    for (int i = 0; i < probabilities.length; i++) {
      int b = binOf(probabilities[i], binCount);
      count[b]++;
      probabilitySum[b] += probabilities[i];
      positives[b] += labels[i];
    }
    List<ReliabilityBin> bins = new ArrayList<>(binCount);
    for (int b = 0; b < binCount; b++) {
      double mean = count[b] == 0 ? Double.NaN : probabilitySum[b] / count[b];
      double observed = count[b] == 0 ? Double.NaN : (double) positives[b] / count[b];
      bins.add(
          new ReliabilityBin(
              (double) b / binCount, (b + 1.0) / binCount, count[b], mean, observed));
    }
    return bins;
  }

  /** ECE of a set of bins: the count-weighted mean of |observed frequency − mean probability|. */
  public static double expectedCalibrationError(List<ReliabilityBin> bins) {
    long total = bins.stream().mapToLong(ReliabilityBin::count).sum();
    double sum = 0;
    for (ReliabilityBin b : bins) {
      if (b.count() > 0) {
        sum += b.count() * Math.abs(b.observedFrequency() - b.meanProbability());
      }
    }
    return total == 0 ? Double.NaN : sum / total;
  }

  static int binOf(double probability, int binCount) {
    return Math.min(binCount - 1, (int) Math.floor(binCount * probability));
  }
}
