package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  @Test
  void temperature_scaling_recovers_the_temperature_that_generated_the_labels() {
    Random rng = new Random(11);
    int n = 40_000;
    double trueTemperature = 2.5;
    float[] logits = new float[n];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      logits[i] = (float) (rng.nextGaussian() * 6);
      double p = 1 / (1 + Math.exp(-logits[i] / trueTemperature));
      labels[i] = rng.nextDouble() < p ? 1 : 0;
    }

    double fitted = Calibration.fitTemperature(logits, labels);

    // Standard error of the maximum-likelihood estimate at n = 40 000 is about 0.03.
    assertThat(fitted).isCloseTo(trueTemperature, within(0.1));
    // The fitted value is a minimum: the NLL's slope across it changes sign.
    assertThat(Calibration.nll(logits, labels, fitted))
        .isLessThanOrEqualTo(Calibration.nll(logits, labels, fitted * 1.01))
        .isLessThanOrEqualTo(Calibration.nll(logits, labels, fitted / 1.01));
  }

  @Test
  void platt_scaling_recovers_a_shift_that_a_temperature_alone_cannot_remove() {
    // Logits as positive-class weighting leaves them: the true log-odds plus ln w (w = 6).
    Random rng = new Random(12);
    int n = 40_000;
    double trueTemperature = 1.5;
    double trueBias = -Math.log(6);
    float[] logits = new float[n];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      logits[i] = (float) (rng.nextGaussian() * 3 + 1);
      double p = 1 / (1 + Math.exp(-(logits[i] / trueTemperature + trueBias)));
      labels[i] = rng.nextDouble() < p ? 1 : 0;
    }

    Calibration.Scaling platt = Calibration.fitPlatt(logits, labels);
    double temperatureOnly = Calibration.fitTemperature(logits, labels);

    assertThat(platt.temperature()).isCloseTo(trueTemperature, within(0.1));
    assertThat(platt.bias()).isCloseTo(trueBias, within(0.1));
    double plattNll = Calibration.nll(logits, labels, 1 / platt.temperature(), platt.bias());
    assertThat(plattNll).isLessThan(Calibration.nll(logits, labels, temperatureOnly) - 0.01);
    assertThat(platt.probability(3.0))
        .isCloseTo(1 / (1 + Math.exp(-(3.0 / platt.temperature() + platt.bias()))), within(1e-12));
  }

  @Test
  void platt_scaling_of_one_class_is_the_identity() {
    Calibration.Scaling s = Calibration.fitPlatt(new float[] {1f, -2f}, new float[] {0f, 0f});

    assertThat(s.temperature()).isEqualTo(1.0);
    assertThat(s.bias()).isEqualTo(0.0);
  }

  @Test
  void nll_matches_the_textbook_formula_on_hand_values() {
    float[] logits = {2f, -1f};
    float[] labels = {1f, 1f};
    double expected = (Math.log(1 + Math.exp(-1.0)) + Math.log(1 + Math.exp(0.5))) / 2;

    assertThat(Calibration.nll(logits, labels, 2.0)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void youden_threshold_is_the_cut_with_the_best_sensitivity_plus_specificity() {
    // Sorted by probability: N N P N P P. Cut at 0.5: TPR 3/3, FPR 1/3 → J = 0.667.
    // Cut at 0.7: TPR 2/3, FPR 0 → J = 0.667 too, and the higher threshold wins the tie.
    // Cut at 0.3: TPR 3/3, FPR 2/3 → 0.333; cut at 0.9: 1/3 → 0.333.
    double[] p = {0.1, 0.2, 0.3, 0.5, 0.7, 0.9};
    float[] labels = {0, 0, 1, 0, 1, 1};

    assertThat(Calibration.youden(p, labels, 0.3)).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(Calibration.youden(p, labels, 0.7)).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(Calibration.youdenThreshold(p, labels)).isEqualTo(0.7);
  }

  @Test
  void youden_threshold_separates_perfectly_separable_scores_at_the_lowest_positive() {
    double[] p = {0.05, 0.2, 0.35, 0.6, 0.8};
    float[] labels = {0, 0, 0, 1, 1};

    assertThat(Calibration.youdenThreshold(p, labels)).isEqualTo(0.6);
  }

  @Test
  void auroc_counts_ties_as_half_like_the_mann_whitney_statistic() {
    // Pairs (pos, neg): pos {0.8, 0.4}, neg {0.4, 0.1}: 0.8>0.4, 0.8>0.1, 0.4=0.4 (1/2), 0.4>0.1
    double[] scores = {0.8, 0.4, 0.4, 0.1};
    float[] labels = {1, 1, 0, 0};

    assertThat(Calibration.auroc(scores, labels)).isCloseTo(3.5 / 4, within(1e-12));
    assertThat(Calibration.auroc(scores, new float[] {0, 0, 0, 0})).isNaN();
  }

  @Test
  void bfloat16_packing_keeps_features_to_three_significant_digits() {
    float[] values = {0f, 1f, -3.14159f, 123.456f, 1e-3f};
    TrainingCase c =
        new TrainingCase(
            "x",
            0,
            new short[0],
            new int[4],
            TrainingCase.packFeatures(values),
            1,
            5,
            new float[1]);
    float[] back = new float[5];

    c.unpackTokens(back, 0);

    for (int i = 0; i < values.length; i++) {
      assertThat(back[i]).isCloseTo(values[i], within(Math.abs(values[i]) / 256f + 1e-9f));
    }
  }
}
