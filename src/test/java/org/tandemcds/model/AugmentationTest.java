package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  @Test
  void bilinear_sampling_returns_pixels_at_centres_and_means_between_them() {
    float[] img = {0f, 1f, 2f, 3f}; // 2 x 2: row 0 = 0 1, row 1 = 2 3

    assertThat(Augmentation.bilinear(img, 2, 1, 0)).isEqualTo(2f);
    assertThat(Augmentation.bilinear(img, 2, 0.5, 0.5)).isCloseTo(1.5f, within(1e-6f));
    assertThat(Augmentation.bilinear(img, 2, 0, 0.25)).isCloseTo(0.25f, within(1e-6f));
    // Half a pixel outside the square mixes in the black outside.
    assertThat(Augmentation.bilinear(img, 2, -0.5, 1)).isCloseTo(0.5f, within(1e-6f));
  }

  @Test
  void photometric_changes_never_touch_the_black_letterbox_padding_before_the_warp() {
    int size = 32;
    float[] img = new float[size * size];
    int[] box = {8, 0, 24, 32}; // a landscape image letterboxed with 8 rows of padding above/below
    for (int r = 8; r < 24; r++) {
      for (int c = 0; c < size; c++) {
        img[r * size + c] = 0.5f;
      }
    }
    Augmentation always = new Augmentation(1f);
    Random rng = new Random(3);

    float[] out = always.apply(img, size, box, rng);

    // The warp moves content by at most ~4 % shift + 5° rotation + 15 % zoom; row 0's centre
    // column, 8 rows from the content, stays padding and therefore black.
    assertThat(out[size / 2]).isZero();
    // Uniform 0.5 content, inverted (p = 1) after gamma and a little noise, stays mid-grey.
    assertThat(out[16 * size + 16]).isBetween(0.3f, 0.7f);
  }

  @Test
  void the_same_random_state_gives_the_same_augmentation() {
    int size = 16;
    float[] img = new float[size * size];
    for (int i = 0; i < img.length; i++) {
      img[i] = (i % 7) / 7f;
    }
    int[] box = {0, 0, size, size};
    Augmentation a = new Augmentation(0.05f);

    assertThat(a.apply(img, size, box, new Random(9)))
        .isEqualTo(a.apply(img, size, box, new Random(9)));
  }
}
