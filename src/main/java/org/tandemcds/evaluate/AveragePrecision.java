package org.tandemcds.evaluate;

/**
 * Area under the precision–recall curve as average precision, the step-wise sum of scikit-learn's
 * {@code average_precision_score}: {@code AP = Σₙ (Rₙ − Rₙ₋₁) · Pₙ}, where {@code Pₙ} and {@code
 * Rₙ} are the precision and recall of calling {@code score ≥ tₙ} positive at the n-th distinct
 * score from the highest, and {@code R₀ = 0}. No interpolation (unlike the trapezoid rule, which
 * overstates the area). Tied scores form one step. Stateless and thread-safe.
 */
public final class AveragePrecision {
  private AveragePrecision() {}

  /** Average precision, or NaN when there is no positive label (it is then undefined). */
  public static double of(double[] scores, int[] labels) {
    RankedScores ranked = new RankedScores(scores, labels);
    if (ranked.positives() == 0) {
      return Double.NaN;
    }
    double positives = ranked.positives();
    double[] sum = {0, 0};
    ranked.forEachThreshold(
        (t, tp, fp) -> {
          double recall = tp / positives;
          sum[0] += (recall - sum[1]) * tp / (tp + fp);
          sum[1] = recall;
        });
    return sum[0];
  }
}
