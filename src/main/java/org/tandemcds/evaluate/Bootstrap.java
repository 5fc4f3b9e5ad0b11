package org.tandemcds.evaluate;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap over cases (Efron &amp; Tibshirani, An Introduction to the Bootstrap, 1993,
 * ch. 13) of a macro AUROC, or of the difference of two macro AUROCs on the same cases (paired: one
 * resample of cases serves both sets). Resample {@code r} draws {@code n} case indices with {@code
 * java.util.Random(seed).nextInt(n)}, one generator for all resamples in order, so the indices are
 * reproducible anywhere from the documented algorithm of {@link Random}. Immutable and thread-safe;
 * each call starts its own generator from the seed.
 */
public final class Bootstrap {
  /** 95 % intervals. */
  public static final double LEVEL = 0.95;

  private final int resamples;
  private final long seed;

  public Bootstrap(int resamples, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be at least 1");
    }
    this.resamples = resamples;
    this.seed = seed;
  }

  public int resamples() {
    return resamples;
  }

  public long seed() {
    return seed;
  }

  /** Interval of the mean AUROC over the given findings (indices into the set's findings). */
  public BootstrapInterval macroAuroc(Scores set, int[] findings) {
    List<WeightedAuroc> aurocs = weighted(set, findings);
    return interval(set.cases().size(), w -> mean(aurocs, w));
  }

  /**
   * Interval of {@code macroAUROC(first) − macroAUROC(second)} over the given findings, resampling
   * cases jointly. {@code second} must hold the same cases in the same order as {@code first}.
   */
  public BootstrapInterval macroAurocDifference(Scores first, Scores second, int[] findings) {
    List<WeightedAuroc> a = weighted(first, findings);
    List<WeightedAuroc> b = weighted(second, findings);
    return interval(first.cases().size(), w -> mean(a, w) - mean(b, w));
  }

  private BootstrapInterval interval(int n, ToDoubleFunction<int[]> statistic) {
    Random random = new Random(seed);
    double[] values = new double[resamples];
    int used = 0;
    for (int r = 0; r < resamples; r++) {
      double value = statistic.applyAsDouble(draw(random, n));
      if (!Double.isNaN(value)) {
        values[used++] = value;
      }
    }
    double[] kept = Arrays.copyOf(values, used);
    Arrays.sort(kept);
    double tail = (1 - LEVEL) / 2;
    return new BootstrapInterval(
        quantile(kept, tail), quantile(kept, 1 - tail), LEVEL, resamples, used, seed);
  }

  private static int[] draw(Random random, int n) {
    int[] weights = new int[n];
    for (int i = 0; i < n; i++) {
      weights[random.nextInt(n)]++;
    }
    return weights;
  }

  private static List<WeightedAuroc> weighted(Scores set, int[] findings) {
    return Arrays.stream(findings)
        .mapToObj(f -> new WeightedAuroc(set.probabilities(f), set.labels(f)))
        .toList();
  }

  private static double mean(List<WeightedAuroc> aurocs, int[] weights) {
    double sum = 0;
    for (WeightedAuroc a : aurocs) {
      sum += a.of(weights);
    }
    return aurocs.isEmpty() ? Double.NaN : sum / aurocs.size();
  }

  /** Quantile {@code q} of sorted values, linear between order statistics (Hyndman–Fan type 7). */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
