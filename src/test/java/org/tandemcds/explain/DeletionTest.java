package org.tandemcds.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeletionTest {
  @Test
  void the_area_is_the_trapezoid_rule() {
    assertThat(Deletion.auc(new double[] {0, 0.5, 1}, new double[] {1, 0.5, 0}))
        .isCloseTo(0.5, within(1e-12));
    assertThat(Deletion.auc(new double[] {0, 0.1, 1}, new double[] {1, 0, 0}))
        .isCloseTo(0.05, within(1e-12));
  }

  @Test
  void spearman_matches_hand_computed_values_with_average_ranks_for_ties() {
    assertThat(Deletion.spearman(new float[] {1, 2, 3, 4}, new float[] {10, 30, 20, 40}))
        .isCloseTo(0.8, within(1e-12));
    assertThat(Deletion.spearman(new float[] {1, 2, 3, 4}, new float[] {4, 3, 2, 1}))
        .isCloseTo(-1, within(1e-12));
    // ranks of {0, 0, 1}: 1.5, 1.5, 3 against 1, 2, 3 → r = 0.866...
    assertThat(Deletion.spearman(new float[] {0, 0, 1}, new float[] {1, 2, 3}))
        .isCloseTo(Math.sqrt(3) / 2, within(1e-12));
    assertThat(Deletion.spearman(new float[] {5, 5, 5}, new float[] {1, 2, 3})).isNaN();
  }

  @Test
  void the_salient_order_puts_high_values_first_and_only_content_pixels_are_removed() {
    int size = 4;
    int[] content = Deletion.content(new int[] {1, 0, 3, 4}, size); // rows 1–2
    float[] saliency = new float[16];
    saliency[9] = 5;
    saliency[6] = 3;
    saliency[0] = 99; // padding: never removed

    int[] order = Deletion.bySaliency(saliency, content, new Random(1));
    float[] image = new float[16];
    java.util.Arrays.fill(image, 1f);
    List<float[]> deleted =
        Deletion.deleted(image, new float[16], order, new double[] {0, 0.25, 1});

    assertThat(content).hasSize(8);
    assertThat(order[0]).isEqualTo(9);
    assertThat(order[1]).isEqualTo(6);
    assertThat(deleted.get(0)).containsOnly(1f);
    assertThat(deleted.get(1)[9]).isZero();
    assertThat(deleted.get(1)[6]).isZero();
    assertThat(count(deleted.get(2), 0f)).isEqualTo(8);
    assertThat(deleted.get(2)[0]).isEqualTo(1f);
  }

  @Test
  void the_mean_reference_is_the_content_boxs_mean_grey_so_removing_everything_leaves_no_shape() {
    int size = 4;
    int[] content = Deletion.content(new int[] {1, 0, 3, 4}, size); // rows 1–2
    float[] image = new float[16];
    image[0] = 9f; // padding does not count
    for (int i = 4; i < 12; i++) {
      image[i] = i < 8 ? 0.2f : 0.6f; // a broad bright band in row 2, as an effusion
    }

    float[] mean = Deletion.Reference.MEAN.of(image, size, content, null);
    List<float[]> all =
        Deletion.deleted(image, mean, Deletion.shuffled(content, new Random(2)), new double[] {1});

    assertThat(mean).containsOnly(0.4f);
    for (int i : content) {
      assertThat(all.get(0)[i]).isEqualTo(0.4f);
    }
  }

  @Test
  void removing_everything_to_the_study_without_findings_gives_that_image_inside_the_content() {
    int size = 4;
    int[] content = Deletion.content(new int[] {1, 0, 3, 4}, size); // rows 1–2
    float[] image = new float[16];
    float[] clear = new float[16];
    for (int i = 4; i < 12; i++) {
      image[i] = i < 8 ? 0.2f : 0.6f; // the bright band (the finding) in row 2
      clear[i] = 0.2f; // the same study without it
    }
    float[] reference = Deletion.Reference.WITHOUT_FINDINGS.of(image, size, content, clear);
    int[] order = Deletion.shuffled(content, new Random(4));
    List<float[]> steps = Deletion.deleted(image, reference, order, new double[] {0.5, 1});

    assertThat(steps.get(1)).containsExactly(clear);
    // half the content replaced: each pixel is the study's or the reference's, by the order
    for (int n = 0; n < order.length; n++) {
      assertThat(steps.get(0)[order[n]]).isEqualTo(n < 4 ? clear[order[n]] : image[order[n]]);
    }
    assertThatThrownBy(
            () -> Deletion.Reference.WITHOUT_FINDINGS.of(image, size, content, new float[9]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void blurring_keeps_a_constant_image_and_spreads_a_point() {
    int size = 40;
    float[] flat = new float[size * size];
    java.util.Arrays.fill(flat, 0.3f);
    float[] point = new float[size * size];
    point[20 * size + 20] = 1f;

    assertThat(Deletion.blur(flat, size)).containsOnly(0.3f);
    float[] spread = Deletion.blur(point, size);
    assertThat(spread[20 * size + 20]).isLessThan(0.1f).isGreaterThan(0f);
    assertThat(spread[20 * size + 22]).isGreaterThan(0f);
    double total = 0;
    for (float v : spread) {
      total += v;
    }
    assertThat(total).isCloseTo(1.0, within(1e-4));
  }

  private static int count(float[] values, float v) {
    int n = 0;
    for (float x : values) {
      n += x == v ? 1 : 0;
    }
    return n;
  }
}
