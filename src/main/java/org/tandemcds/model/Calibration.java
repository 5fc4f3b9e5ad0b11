package org.tandemcds.model;

/**
 * Post-hoc calibration maths (plain Java, no engine): temperature scaling (Guo et al. 2017) and
 * Platt scaling (a temperature plus an intercept) per finding, and the operating threshold.
 * Stateless.
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

  /**
   * A fitted scaling of one finding's logits: probability = {@code sigmoid(logit / temperature +
   * bias)}.
   */
  public record Scaling(double temperature, double bias) {
    public double probability(double logit) {
      return 1 / (1 + Math.exp(-(logit / temperature + bias)));
    }
  }

  /**
   * Platt scaling: the temperature {@code T} and intercept {@code b} minimising the mean negative
   * log-likelihood of {@code labels} under {@code sigmoid(logit / T + b)} (logistic regression on
   * the logit, Newton's method with step halving from the temperature-only fit, a 1e-4 ridge on
   * both coefficients for the rare separable split; {@code T} kept in [0.05, 20]). The intercept
   * removes the constant shift that positive-class weighting during training puts on the logits
   * ({@code logit + ln w}), which a temperature alone cannot undo. Returns {@code (1, 0)} when the
   * labels hold only one class.
   */
  public static Scaling fitPlatt(float[] logits, float[] labels) {
    if (oneClass(labels)) {
      return new Scaling(1, 0);
    }
    double a = 1 / fitTemperature(logits, labels);
    double b = 0;
    double ridge = 1e-4;
    double current = nll(logits, labels, a, b) + ridge * (a * a + b * b) / 2;
    for (int iteration = 0; iteration < 100; iteration++) {
      double ga = ridge * a;
      double gb = ridge * b;
      double haa = ridge;
      double hab = 0;
      double hbb = ridge;
      int n = logits.length;
      for (int i = 0; i < n; i++) {
        double x = logits[i];
        double p = 1 / (1 + Math.exp(-(a * x + b)));
        double r = (p - labels[i]) / n;
        double w = p * (1 - p) / n;
        ga += r * x;
        gb += r;
        haa += w * x * x;
        hab += w * x;
        hbb += w;
      }
      double det = haa * hbb - hab * hab;
      if (!(det > 0)) {
        break;
      }
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      double step = 1;
      boolean improved = false;
      while (step > 1e-6) {
        double na = Math.max(1 / MAX_TEMPERATURE, Math.min(1 / MIN_TEMPERATURE, a - step * da));
        double nb = b - step * db;
        double candidate = nll(logits, labels, na, nb) + ridge * (na * na + nb * nb) / 2;
        if (candidate <= current) {
          improved = current - candidate > 1e-12;
          a = na;
          b = nb;
          current = candidate;
          break;
        }
        step /= 2;
      }
      if (!improved) {
        break;
      }
    }
    return new Scaling(1 / a, b);
  }

  /** Mean binary negative log-likelihood of {@code sigmoid(logit / t)}, computed stably. */
  public static double nll(float[] logits, float[] labels, double t) {
    return nll(logits, labels, 1 / t, 0);
  }

  /** Mean binary negative log-likelihood of {@code sigmoid(slope · logit + bias)}, stably. */
  static double nll(float[] logits, float[] labels, double slope, double bias) {
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double z = logits[i] * slope + bias;
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
