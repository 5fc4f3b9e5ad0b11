package org.tandemcds.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.Frame;

class LetterboxTest {
  private static final float TOLERANCE = 1e-6f;

  @Test
  void square_frame_shrinks_to_the_means_of_its_blocks() {
    Frame frame =
        new Frame(
            4,
            4,
            new float[] {
              0.1f, 0.2f, 0.3f, 0.4f,
              0.5f, 0.6f, 0.7f, 0.8f,
              0.0f, 0.0f, 1.0f, 1.0f,
              0.0f, 0.4f, 1.0f, 0.6f
            });

    LetterboxedImage out = new Letterbox(2).apply(frame);

    // (0.1+0.2+0.5+0.6)/4, (0.3+0.4+0.7+0.8)/4, (0+0+0+0.4)/4, (1+1+1+0.6)/4
    assertThat(out.image().pixels())
        .containsExactly(new float[] {0.35f, 0.55f, 0.1f, 0.9f}, within(TOLERANCE));
    assertThat(out.geometry().scale()).isEqualTo(0.5);
    assertThat(out.geometry().offsetRow()).isZero();
    assertThat(out.geometry().offsetColumn()).isZero();
  }

  @Test
  void wide_frame_is_centred_between_black_bands() {
    float[] pixels = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};

    LetterboxedImage out = new Letterbox(4).apply(new Frame(2, 4, pixels));

    float[] expected = new float[16];
    System.arraycopy(pixels, 0, expected, 4, 8);
    assertThat(out.image().pixels()).containsExactly(expected, within(TOLERANCE));
    assertThat(out.geometry().offsetRow()).isEqualTo(1.0);
    assertThat(out.geometry().offsetColumn()).isZero();
  }

  @Test
  void fractional_offsets_blend_the_edge_pixels_with_the_black_padding() {
    // 3 rows x 1 column into 2x2: scale 2/3, the column spans input [2/3, 4/3).
    // Output row 0 covers source rows [0, 1.5): row 0 with weight 2/3, row 1 with 1/3.
    // Output column 0 covers source columns [-1, 0.5): column 0 with weight 1/3.
    float a = 0.9f;
    float b = 0.3f;
    float c = 0.6f;
    LetterboxedImage out = new Letterbox(2).apply(new Frame(3, 1, new float[] {a, b, c}));

    float top = (a * 2 / 3f + b / 3f) / 3f;
    float bottom = (b / 3f + c * 2 / 3f) / 3f;
    assertThat(out.image().pixels())
        .containsExactly(new float[] {top, top, bottom, bottom}, within(TOLERANCE));
    assertThat(out.geometry().offsetColumn()).isCloseTo(2 / 3.0, within(1e-12));
  }

  @Test
  void total_brightness_scales_with_the_area_of_the_content() {
    Random random = new Random(7);
    float[] pixels = new float[37 * 23];
    double sum = 0;
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
      sum += pixels[i];
    }

    LetterboxedImage out = new Letterbox(16).apply(new Frame(37, 23, pixels));

    double outSum = 0;
    for (float p : out.image().pixels()) {
      outSum += p;
    }
    double scale = 16.0 / 37;
    assertThat(outSum).isCloseTo(sum * scale * scale, within(1e-3));
  }

  @Test
  void geometry_maps_the_frame_edges_to_the_centred_box_and_back() {
    LetterboxGeometry g = LetterboxGeometry.of(2500, 2048, 320);

    assertThat(g.scale()).isEqualTo(320 / 2500.0);
    double width = 2048 * 320 / 2500.0; // 262.144
    assertThat(g.sourceToInput(0, 0))
        .containsExactly(new double[] {0, (320 - width) / 2}, within(1e-9));
    assertThat(g.sourceToInput(2500, 2048))
        .containsExactly(new double[] {320, (320 + width) / 2}, within(1e-9));
    Random random = new Random(3);
    for (int i = 0; i < 100; i++) {
      double row = random.nextDouble() * 2500;
      double column = random.nextDouble() * 2048;
      double[] input = g.sourceToInput(row, column);
      assertThat(g.inputToSource(input[0], input[1]))
          .containsExactly(new double[] {row, column}, within(1e-9));
    }
  }

  @Test
  void a_linear_map_resampled_to_the_source_equals_the_function_at_each_pixel_centre() {
    // f(y, x) = 0.3 y - 0.2 x + 5 in input coordinates, sampled at the centres of a 10x10 grid
    LetterboxGeometry g = LetterboxGeometry.of(50, 70, 320);
    float[] grid = new float[100];
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        grid[i * 10 + j] = (float) f((i + 0.5) * 32, (j + 0.5) * 32);
      }
    }

    var resampled = g.resampleToSource(new Frame(10, 10, grid));

    assertThat(resampled.rows()).isEqualTo(50);
    assertThat(resampled.columns()).isEqualTo(70);
    int checked = 0;
    for (int r = 0; r < 50; r++) {
      for (int c = 0; c < 70; c++) {
        double[] p = g.sourceToInput(r + 0.5, c + 0.5);
        if (p[0] >= 16 && p[0] <= 304 && p[1] >= 16 && p[1] <= 304) {
          assertThat(resampled.at(r, c)).isCloseTo((float) f(p[0], p[1]), within(1e-3f));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(50 * 70 * 3 / 4);
  }

  @Test
  void the_content_box_covers_the_frame_to_whole_pixels_inside_the_square() {
    // 100 × 50 into 64: scale 0.64, 32 columns wide, 16 columns of padding either side
    assertThat(LetterboxGeometry.of(100, 50, 64).contentBox()).containsExactly(0, 16, 64, 48);
    // 30 × 100 into 64: 19.2 rows tall from row 22.4 → rows 22 to 42 (widened to whole pixels)
    assertThat(LetterboxGeometry.of(30, 100, 64).contentBox()).containsExactly(22, 0, 42, 64);
  }

  private static double f(double y, double x) {
    return 0.3 * y - 0.2 * x + 5;
  }
}
