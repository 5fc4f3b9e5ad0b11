package org.tandemcds.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** AUROC and ROC curves against hand-counted examples. Tolerance 1e-12 (exact arithmetic). */
class RocTest {
  private static final double EXACT = 1e-12;

  @Test
  void scikit_learn_documentation_example_gives_three_quarters() {
    // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75 in scikit-learn's user guide:
    // of the 4 (positive, negative) pairs only (0.35, 0.4) is ordered wrongly.
    assertThat(Roc.auroc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}))
        .isCloseTo(0.75, within(EXACT));
  }

  @Test
  void a_tie_between_a_positive_and_a_negative_counts_one_half() {
    // pairs (pos, neg): (0.6, 0.2)=1, (0.6, 0.6)=0.5, (0.9, 0.2)=1, (0.9, 0.6)=1 -> 3.5 / 4
    assertThat(Roc.auroc(new double[] {0.2, 0.6, 0.6, 0.9}, new int[] {0, 1, 0, 1}))
        .isCloseTo(0.875, within(EXACT));
  }

  @Test
  void all_scores_tied_give_one_half() {
    assertThat(Roc.auroc(new double[] {0.3, 0.3, 0.3, 0.3, 0.3}, new int[] {1, 0, 0, 1, 0}))
        .isCloseTo(0.5, within(EXACT));
  }

  @Test
  void reversed_ranking_gives_zero_and_perfect_ranking_gives_one() {
    assertThat(Roc.auroc(new double[] {0.9, 0.8, 0.1}, new int[] {0, 0, 1})).isZero();
    assertThat(Roc.auroc(new double[] {0.1, 0.2, 0.9}, new int[] {0, 0, 1})).isEqualTo(1.0);
  }

  @Test
  void auroc_equals_the_trapezoid_area_under_its_own_curve_with_many_ties() {
    Scores s = ScoresFixture.threeSets().get(2);
    for (int k = 0; k < s.findings().size(); k++) {
      List<RocPoint> curve = Roc.curve(s.probabilities(k), s.labels(k));
      double area = 0;
      for (int i = 1; i < curve.size(); i++) {
        RocPoint a = curve.get(i - 1);
        RocPoint b = curve.get(i);
        area +=
            (b.falsePositiveRate() - a.falsePositiveRate())
                * (a.truePositiveRate() + b.truePositiveRate())
                / 2;
      }
      assertThat(Roc.auroc(s.probabilities(k), s.labels(k))).isCloseTo(area, within(1e-12));
    }
  }

  @Test
  void one_class_only_leaves_auroc_undefined_and_the_curve_empty() {
    assertThat(Roc.auroc(new double[] {0.2, 0.7}, new int[] {0, 0})).isNaN();
    assertThat(Roc.curve(new double[] {0.2, 0.7}, new int[] {1, 1})).isEmpty();
  }

  @Test
  void curve_has_one_point_per_distinct_score_after_the_origin() {
    // roc_curve([0,0,1,1], [0.1,0.4,0.35,0.8], drop_intermediate=False):
    // thresholds [inf, 0.8, 0.4, 0.35, 0.1], fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1]
    List<RocPoint> curve = Roc.curve(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1});
    assertThat(curve)
        .containsExactly(
            new RocPoint(Double.POSITIVE_INFINITY, 0, 0),
            new RocPoint(0.8, 0, 0.5),
            new RocPoint(0.4, 0.5, 0.5),
            new RocPoint(0.35, 0.5, 1),
            new RocPoint(0.1, 1, 1));
  }

  @Test
  void tied_scores_make_one_diagonal_step() {
    List<RocPoint> curve = Roc.curve(new double[] {0.2, 0.6, 0.6, 0.9}, new int[] {0, 1, 0, 1});
    assertThat(curve)
        .containsExactly(
            new RocPoint(Double.POSITIVE_INFINITY, 0, 0),
            new RocPoint(0.9, 0, 0.5),
            new RocPoint(0.6, 0.5, 1),
            new RocPoint(0.2, 1, 1));
  }
}
