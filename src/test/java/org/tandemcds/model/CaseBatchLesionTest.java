package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CaseBatchLesionTest {
  private static final int SIZE = 64;

  /** A black square image with a white 16×16 lesion at rows 8–23, columns 40–55. */
  private static TrainingCase caseWithLesion(byte[][] lesions) {
    float[] pixels = new float[SIZE * SIZE];
    byte[] mask = new byte[SIZE * SIZE];
    for (int r = 8; r < 24; r++) {
      for (int c = 40; c < 56; c++) {
        pixels[r * SIZE + c] = 1f;
        mask[r * SIZE + c] = (byte) 255;
      }
    }
    byte[][] maps =
        lesions == null ? null : lesions.length == 0 ? new byte[][] {mask, {}} : lesions;
    return new TrainingCase(
        "c",
        SIZE,
        TrainingCase.packImage(pixels),
        new int[] {0, 0, SIZE, SIZE},
        new short[0],
        0,
        4,
        new float[] {1, 0},
        maps);
  }

  @Test
  void lesion_targets_are_the_share_of_each_cell_the_lesion_covers() {
    CaseBatch b =
        CaseBatch.of(List.of(caseWithLesion(new byte[0][])), null, SIZE, 4, 2, null, new Random(1));

    // Finding 0. A cell of the 2×2 map sees the 32×32 window centred on its receptive field
    // (input coordinate 32·i + 0.5), clipped at the edges: cell 0 rows/columns 0–15, cell 1 16–47.
    // The lesion (rows 8–23, columns 40–55) covers 8×8 pixels of cell (0, 1)'s 16×32 window and
    // 8×8 of cell (1, 1)'s 32×32 window; the pyramid block of cell (0, 1) would have held all of
    // it.
    assertThat(b.lesionTargets()[0]).isZero();
    assertThat(b.lesionTargets()[1]).isCloseTo(64f / (16 * 32), within(1e-6f));
    assertThat(b.lesionTargets()[2]).isZero();
    assertThat(b.lesionTargets()[3]).isCloseTo(64f / (32 * 32), within(1e-6f));
    // Finding 1 is absent: known, all zero.
    assertThat(b.lesionWeights()).containsExactly(1f, 1f);
    assertThat(java.util.Arrays.copyOfRange(b.lesionTargets(), 4, 8)).containsOnly(0f);
  }

  @Test
  void a_batch_of_cached_features_carries_the_same_lesion_targets_as_a_batch_of_images() {
    TrainingCase c = caseWithLesion(new byte[0][]);
    CaseBatch images = CaseBatch.of(List.of(c), null, SIZE, 4, 2, null, new Random(1));
    // input size 0: the joint head trains on cached feature maps and the batch carries no image
    CaseBatch features = CaseBatch.of(List.of(c), null, 0, 4, 2, null, new Random(1));

    assertThat(features.images()).isEmpty();
    assertThat(features.lesionTargets()).containsExactly(images.lesionTargets());
    assertThat(features.lesionWeights()).containsExactly(images.lesionWeights());
    assertThat(features.lesionTargets()[1]).isGreaterThan(0f);
  }

  @Test
  void a_case_without_localisation_has_no_lesion_weight() {
    CaseBatch b =
        CaseBatch.of(List.of(caseWithLesion(null)), null, SIZE, 4, 2, null, new Random(1));

    assertThat(b.lesionWeights()).containsOnly(0f);
    assertThat(b.lesionTargets()).containsOnly(0f);
  }

  @Test
  void augmentation_moves_the_lesion_map_with_the_image() {
    for (int seed = 0; seed < 5; seed++) {
      CaseBatch b =
          CaseBatch.of(
              List.of(caseWithLesion(new byte[0][])),
              null,
              SIZE,
              4,
              SIZE,
              new Augmentation(0f),
              new Random(seed));

      int both = 0;
      int either = 0;
      for (int p = 0; p < SIZE * SIZE; p++) {
        boolean bright = b.images()[p] > 0.5f;
        boolean lesion = b.lesionTargets()[p] > 0.5f;
        both += bright && lesion ? 1 : 0;
        either += bright || lesion ? 1 : 0;
      }
      // The warp moves both the same way: the bright square and the lesion map still coincide.
      assertThat(either).isGreaterThan(150);
      assertThat((double) both / either).isGreaterThan(0.85);
    }
  }
}
