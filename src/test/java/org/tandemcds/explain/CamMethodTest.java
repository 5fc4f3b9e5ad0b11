package org.tandemcds.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CamMethodTest {
  // Two channels over a 2×2 map, row-major per channel.
  private static final float[] A = {1, 2, 3, 4, /* channel 1 */ 4, 0, 1, 2};
  private static final float[] G = {0.5f, -1, 0, 2, /* channel 1 */ -1, 3, 1, -0.5f};

  @Test
  void hires_cam_is_the_relu_of_the_channel_sum_of_gradient_times_activation() {
    // location 0: 0.5·1 + (−1)·4 = −3.5 → 0; 1: −2 + 0 = −2 → 0; 2: 0 + 1 = 1; 3: 8 − 1 = 7
    float[] cam = CamMethod.HIRES_CAM.map(A, G, 2, 4);

    assertThat(cam).containsExactly(new float[] {0, 0, 1, 7}, within(1e-6f));
  }

  @Test
  void grad_cam_weights_each_channel_by_its_mean_gradient() {
    // weights: channel 0 mean(0.5, −1, 0, 2) = 0.375; channel 1 mean(−1, 3, 1, −0.5) = 0.625
    // location i: 0.375·A0[i] + 0.625·A1[i] = 2.875, 0.75, 1.75, 2.75
    float[] cam = CamMethod.GRAD_CAM.map(A, G, 2, 4);

    assertThat(cam).containsExactly(new float[] {2.875f, 0.75f, 1.75f, 2.75f}, within(1e-6f));
  }

  @Test
  void both_methods_agree_when_the_gradient_is_constant_over_space_as_through_global_pooling() {
    float[] uniform = {0.25f, 0.25f, 0.25f, 0.25f, -0.5f, -0.5f, -0.5f, -0.5f};

    assertThat(CamMethod.HIRES_CAM.map(A, uniform, 2, 4))
        .containsExactly(CamMethod.GRAD_CAM.map(A, uniform, 2, 4), within(1e-6f));
  }

  @Test
  void labels_round_trip() {
    for (CamMethod m : CamMethod.values()) {
      assertThat(CamMethod.parse(m.label())).isEqualTo(m);
    }
  }
}
