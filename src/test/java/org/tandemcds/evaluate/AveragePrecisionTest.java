package org.tandemcds.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Average precision against hand-computed step sums. Tolerance 1e-12. */
class AveragePrecisionTest {
  private static final double EXACT = 1e-12;

  @Test
  void scikit_learn_documentation_example_gives_five_sixths() {
    // average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333 (user guide):
    // steps at 0.8 (R=1/2, P=1) and 0.35 (R=1, P=2/3): 1/2 + 1/2 * 2/3
    assertThat(AveragePrecision.of(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}))
        .isCloseTo(5.0 / 6, within(EXACT));
  }

  @Test
  void tied_scores_form_one_step_and_recall_steps_are_not_interpolated() {
    // thresholds 0.9 (R 1/3, P 1), 0.8 (R 1/3), 0.7 (R 2/3, P 2/3), 0.6 (R 1, P 3/5)
    // AP = 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/5 = 34/45
    double ap =
        AveragePrecision.of(new double[] {0.9, 0.8, 0.7, 0.6, 0.6}, new int[] {1, 0, 1, 0, 1});
    assertThat(ap).isCloseTo(34.0 / 45, within(EXACT));
  }

  @Test
  void all_tied_gives_the_prevalence() {
    assertThat(AveragePrecision.of(new double[] {0.4, 0.4, 0.4, 0.4}, new int[] {1, 0, 0, 0}))
        .isCloseTo(0.25, within(EXACT));
  }

  @Test
  void no_positive_leaves_average_precision_undefined_but_no_negative_gives_one() {
    assertThat(AveragePrecision.of(new double[] {0.1, 0.9}, new int[] {0, 0})).isNaN();
    assertThat(AveragePrecision.of(new double[] {0.1, 0.9}, new int[] {1, 1})).isEqualTo(1.0);
  }
}
