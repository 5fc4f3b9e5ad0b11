package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GateFitTest {
  private static final int N = 400;

  private static float[] labels(Random random) {
    float[] y = new float[N];
    for (int i = 0; i < N; i++) {
      y[i] = random.nextDouble() < 0.3 ? 1 : 0;
    }
    return y;
  }

  private static double[] noisy(float[] y, double signal, double noise, Random random) {
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = signal * y[i] + noise * random.nextGaussian();
    }
    return x;
  }

  @Test
  void a_joint_head_that_ranks_perfectly_is_kept_alone_when_mixing_cannot_do_better() {
    Random random = new Random(3);
    float[] y = labels(random);
    double[][] heads = {noisy(y, 1, 1, random), noisy(y, 1, 1, random), noisy(y, 10, 0.1, random)};

    // many mixes rank perfectly too (those with enough joint weight): the tie goes to the joint
    assertThat(GateFit.choose(heads, y)).containsExactly(0, 0, 1);
  }

  @Test
  void heads_with_independent_errors_are_mixed_where_that_ranks_better_than_any_one_alone() {
    Random random = new Random(4);
    float[] y = labels(random);
    double[][] heads = {noisy(y, 1, 1, random), noisy(y, 1, 1, random), noisy(y, 1, 1, random)};

    double[] w = GateFit.choose(heads, y);

    assertThat(w[0] + w[1] + w[2]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(java.util.Arrays.stream(w).min().getAsDouble())
        .as("equally good heads with independent noise: every head is used")
        .isPositive();
    double best = Calibration.auroc(mixOf(heads, w), y);
    for (int h = 0; h < 3; h++) {
      assertThat(best).isGreaterThan(Calibration.auroc(heads[h], y));
    }
  }

  @Test
  void with_one_class_only_the_joint_head_is_kept() {
    float[] y = new float[N];
    Random random = new Random(5);
    double[][] heads = {noisy(y, 1, 1, random), noisy(y, 1, 1, random), noisy(y, 1, 1, random)};

    assertThat(GateFit.choose(heads, y)).containsExactly(0, 0, 1);
  }

  private static double[] mixOf(double[][] heads, double[] w) {
    double[] out = new double[N];
    for (int i = 0; i < N; i++) {
      out[i] = w[0] * heads[0][i] + w[1] * heads[1][i] + w[2] * heads[2][i];
    }
    return out;
  }
}
