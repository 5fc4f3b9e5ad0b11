package org.tandemcds.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CorrelatedNoiseTest {

  @Test
  void noise_has_unit_variance_and_the_neighbour_correlation_of_its_kernel() {
    float[] gauss = new float[65536];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < gauss.length; i++) {
      gauss[i] = (float) r.nextGaussian();
    }
    int rows = 400;
    int cols = 500;
    float[][] n = new float[rows][cols];
    CorrelatedNoise noise = new CorrelatedNoise(cols, 77, gauss);
    for (float[] row : n) {
      noise.nextRow(row);
    }
    double a = CorrelatedNoise.SPREAD;
    // 1-D kernel [a 1 a]: lag-1 autocorrelation 2a / (1 + 2a^2), lag-2 a^2 / (1 + 2a^2)
    double lag1 = 2 * a / (1 + 2 * a * a);
    double lag2 = a * a / (1 + 2 * a * a);
    assertThat(moment(n, 0, 0)).isCloseTo(1.0, within(0.03));
    assertThat(moment(n, 1, 0)).isCloseTo(lag1, within(0.02));
    assertThat(moment(n, 0, 1)).isCloseTo(lag1, within(0.02));
    assertThat(moment(n, 2, 0)).isCloseTo(lag2, within(0.02));
    assertThat(moment(n, 3, 0)).isCloseTo(0.0, within(0.02));
  }

  private static double moment(float[][] n, int dx, int dy) {
    double sum = 0;
    long count = 0;
    for (int y = 0; y + dy < n.length; y++) {
      for (int x = 0; x + dx < n[0].length; x++) {
        sum += n[y][x] * n[y + dy][x + dx];
        count++;
      }
    }
    return sum / count;
  }
}
