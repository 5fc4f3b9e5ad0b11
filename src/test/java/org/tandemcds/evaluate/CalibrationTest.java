package org.tandemcds.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reliability bins and ECE against hand-computed values. Tolerance 1e-12. */
class CalibrationTest {
  private static final double EXACT = 1e-12;

  @Test
  void hand_computed_ece_over_fifteen_bins() {
    // bins: 0.05 -> 0, 0.1 -> 1, 0.5 -> 7, 0.95 and 1.0 -> 14 (the last bin holds p = 1)
    // |ȳ - p̄| · n: bin 0: 0.05, bin 1: 0.9, bin 7: 0.5, bin 14: |1 - 0.975| · 2 = 0.05 -> 1.5 / 5
    double[] p = {0.05, 0.1, 0.5, 0.95, 1.0};
    int[] y = {0, 1, 1, 1, 1};
    List<ReliabilityBin> bins = Calibration.bins(p, y, 15);
    assertThat(bins).hasSize(15);
    assertThat(bins.stream().mapToInt(ReliabilityBin::count).toArray())
        .containsExactly(1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2);
    assertThat(bins.get(14).meanProbability()).isCloseTo(0.975, within(EXACT));
    assertThat(bins.get(14).observedFrequency()).isEqualTo(1.0);
    assertThat(bins.get(3).meanProbability()).isNaN();
    assertThat(Calibration.expectedCalibrationError(bins)).isCloseTo(0.3, within(EXACT));
  }

  @Test
  void bins_are_closed_on_the_left_and_cover_zero_to_one() {
    assertThat(Calibration.binOf(0.0, 15)).isZero();
    assertThat(Calibration.binOf(2.0 / 15 + 1e-9, 15)).isEqualTo(2);
    assertThat(Calibration.binOf(2.0 / 15 - 1e-9, 15)).isEqualTo(1);
    assertThat(Calibration.binOf(1.0, 15)).isEqualTo(14);
    List<ReliabilityBin> bins = Calibration.bins(new double[] {0.5}, new int[] {1}, 15);
    assertThat(bins.get(0).lower()).isZero();
    assertThat(bins.get(14).upper()).isEqualTo(1.0);
    assertThat(bins.get(6).upper()).isCloseTo(7.0 / 15, within(EXACT));
  }

  @Test
  void perfectly_calibrated_bins_have_zero_ece() {
    // every bin holds probabilities whose mean equals the fraction of positives
    double[] p = {0.5, 0.5, 0.5, 0.5, 0.0, 0.0, 1.0};
    int[] y = {1, 0, 1, 0, 0, 0, 1};
    assertThat(Calibration.expectedCalibrationError(Calibration.bins(p, y, 15)))
        .isCloseTo(0, within(EXACT));
  }
}
