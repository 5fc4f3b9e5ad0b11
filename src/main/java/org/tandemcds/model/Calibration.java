package org.tandemcds.model;

/**
 * Post-hoc calibration maths (plain Java, no engine): temperature scaling (Guo et al. 2017) per
 * finding and the operating threshold. Stateless.
 */
public final class Calibration {
  static final double MIN_TEMPERATURE = 0.05;
  static final double MAX_TEMPERATURE = 20;
  private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

  private Calibration() {}

  /**
   * The temperature {@code T} minimising the mean negative log-likelihood of {@code labels} under
   * {@code sigmoid(logit / T)}: golden-section search over {@code ln T} in [ln 0.05, ln 20] to a
   * relative precision of 1e-6. The NLL is convex in {@code 1/T}, hence unimodal in {@code ln T}.
   * Returns 1 when the labels hold only one class (nothing to fit).
   */
  public static double fitTemperature(float[] logits, float[] labels) {
    if (oneClass(labels)) {
      return 1;
    }
    double lo = Math.log(MIN_TEMPERATURE);
    double hi = Math.log(MAX_TEMPERATURE);
    while (hi - lo > 1e-6) {
      double a = hi - GOLDEN * (hi - lo);
      double b = lo + GOLDEN * (hi - lo);
      if (nll(logits, labels, Math.exp(a)) <= nll(logits, labels, Math.exp(b))) {
        hi = b;
      } else {
        lo = a;
      }
    }
    return Math.exp((lo + hi) / 2);
  }

  /** Mean binary negative log-likelihood of {@code sigmoid(logit / t)}, computed stably. */
  public static double nll(float[] logits, float[] labels, double t) {
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double z = logits[i] / t;
      sum += Math.max(z, 0) - z * labels[i] + Math.log1p(Math.exp(-Math.abs(z)));
    }
    return sum / logits.length;
  }

  /** {@code sigmoid(logit / t)}. */
  public static double probability(double logit, double t) {
    return 1 / (1 + Math.exp(-logit / t));
  }

  /**
   * The operating threshold maximising Youden's J = sensitivity + specificity − 1 over the
   * thresholds {@code t} that are observed probabilities, a case being positive when {@code p ≥ t}.
   * Among equal J the higher threshold wins (fewer false alarms). Returns 0.5 when the labels hold
   * one class only.
   */
  public static double youdenThreshold(double[] probabilities, float[] labels) {
    if (oneClass(labels)) {
      return 0.5;
    }
    double best = 0.5;
    double bestJ = Double.NEGATIVE_INFINITY;
    for (double t : probabilities) {
      double j = youden(probabilities, labels, t);
      if (j > bestJ || (j == bestJ && t > best)) {
        bestJ = j;
        best = t;
      }
    }
    return best;
  }

  static double youden(double[] p, float[] labels, double t) {
    int tp = 0;
    int pos = 0;
    int tn = 0;
    int neg = 0;
    for (int i = 0; i < p.length; i++) {
      boolean positive = labels[i] > 0.5f;
      boolean called = p[i] >= t;
      pos += positive ? 1 : 0;
      neg += positive ? 0 : 1;
      tp += positive && called ? 1 : 0;
      tn += !positive && !called ? 1 : 0;
    }
    return (double) tp / pos + (double) tn / neg - 1;
  }

  /**
   * Area under the ROC curve: the Mann–Whitney probability that a positive scores above a negative,
   * ties counting one half (midranks). NaN when a class is missing.
   */
  public static double auroc(double[] scores, float[] labels) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double rankSum = 0;
    long pos = 0;
    for (int i = 0; i < order.length; ) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double midrank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] > 0.5f) {
          rankSum += midrank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = scores.length - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  private static boolean oneClass(float[] labels) {
    boolean pos = false;
    boolean neg = false;
    for (float l : labels) {
      pos |= l > 0.5f;
      neg |= l <= 0.5f;
    }
    return !(pos && neg);
  }
}
