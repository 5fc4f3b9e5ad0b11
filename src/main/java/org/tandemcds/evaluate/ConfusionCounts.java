package org.tandemcds.evaluate;

/**
 * The 2×2 table of one finding at its operating threshold: a case is called positive when its
 * probability is at least the threshold ({@code p ≥ t}).
 */
public record ConfusionCounts(
    double threshold,
    int truePositives,
    int falsePositives,
    int trueNegatives,
    int falseNegatives) {

  /** Counts the table for one finding's probabilities and 0/1 labels. */
  public static ConfusionCounts at(double threshold, double[] probabilities, int[] labels) {
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    for (int i = 0; i < probabilities.length; i++) {
      boolean called = probabilities[i] >= threshold;
      boolean positive = labels[i] == 1;
      tp += called && positive ? 1 : 0;
      fp += called && !positive ? 1 : 0;
      tn += !called && !positive ? 1 : 0;
      fn += !called && positive ? 1 : 0;
    }
    return new ConfusionCounts(threshold, tp, fp, tn, fn);
  }

  /** Sensitivity (recall, true positive rate) {@code TP / (TP + FN)}; NaN without positives. */
  public double sensitivity() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  /** Specificity (true negative rate) {@code TN / (TN + FP)}; NaN without negatives. */
  public double specificity() {
    return ratio(trueNegatives, trueNegatives + falsePositives);
  }

  private static double ratio(int part, int whole) {
    return whole == 0 ? Double.NaN : (double) part / whole;
  }
}
