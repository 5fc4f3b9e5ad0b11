package org.tandemcds.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * The receiver operating characteristic of one finding's scores against its labels.
 *
 * <p>AUROC is the Mann–Whitney U statistic divided by {@code P·N} (Hanley &amp; McNeil, Radiology
 * 1982;143:29–36): {@code (R⁺ − P(P+1)/2) / (P·N)} where {@code R⁺} is the sum of the midranks of
 * the {@code P} positive scores among all scores and {@code N} the number of negatives. It equals
 * the probability that a random positive scores above a random negative, ties counting one half,
 * and equals the trapezoid area under {@link #curve} (scikit-learn's {@code roc_auc_score}).
 * Stateless and thread-safe.
 */
public final class Roc {
  private Roc() {}

  /** AUROC, or NaN when the labels hold only one class (the AUROC is then undefined). */
  public static double auroc(double[] scores, int[] labels) {
    RankedScores ranked = new RankedScores(scores, labels);
    if (!ranked.hasBothClasses()) {
      return Double.NaN;
    }
    double p = ranked.positives();
    double u = ranked.positiveRankSum() - p * (p + 1) / 2;
    return u / (p * ranked.negatives());
  }

  /**
   * The ROC curve with one point per distinct score (scikit-learn's {@code roc_curve} with {@code
   * drop_intermediate=False}): first (0, 0) with threshold +∞ (nothing called positive), then for
   * each distinct score {@code t}, from the highest, the false and true positive rates of calling
   * {@code score ≥ t} positive; the last point is (1, 1). Empty when the labels hold one class.
   */
  public static List<RocPoint> curve(double[] scores, int[] labels) {
    RankedScores ranked = new RankedScores(scores, labels);
    List<RocPoint> points = new ArrayList<>();
    if (!ranked.hasBothClasses()) {
      return points;
    }
    double p = ranked.positives();
    double n = ranked.negatives();
    points.add(new RocPoint(Double.POSITIVE_INFINITY, 0, 0));
    ranked.forEachThreshold((t, tp, fp) -> points.add(new RocPoint(t, fp / n, tp / p)));
    return points;
  }
}
