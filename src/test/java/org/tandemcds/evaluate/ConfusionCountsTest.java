package org.tandemcds.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfusionCountsTest {

  @Test
  void a_probability_equal_to_the_threshold_is_called_positive() {
    ConfusionCounts c =
        ConfusionCounts.at(
            0.5, new double[] {0.5, 0.49, 0.5, 0.9, 0.1, 0.2}, new int[] {1, 1, 0, 1, 0, 0});
    assertThat(c).isEqualTo(new ConfusionCounts(0.5, 2, 1, 2, 1));
    assertThat(c.sensitivity()).isEqualTo(2.0 / 3);
    assertThat(c.specificity()).isEqualTo(2.0 / 3);
  }

  @Test
  void sensitivity_is_undefined_without_positives_and_specificity_without_negatives() {
    assertThat(ConfusionCounts.at(0.5, new double[] {0.7}, new int[] {0}).sensitivity()).isNaN();
    assertThat(ConfusionCounts.at(0.5, new double[] {0.7}, new int[] {1}).specificity()).isNaN();
  }
}
