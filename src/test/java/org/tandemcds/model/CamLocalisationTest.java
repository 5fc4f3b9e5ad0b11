package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class CamLocalisationTest {
  private static final int GRID = 2;
  private static final int CELLS = GRID * GRID;

  /** Two cases, two findings, a 2×2 map. */
  private static CaseBatch batch(float[] targets, float[] weights) {
    return new CaseBatch(
        2,
        64,
        1,
        4,
        new float[0],
        new float[0],
        new float[0],
        new float[] {1, 0, 1, 0},
        new float[] {1, 0, 1, 1},
        GRID,
        targets,
        weights);
  }

  private static final float[] CELL_SCORES = {
    0.3f, 2f, -1f, 0.5f, // case 0, finding 0: lesion in cells 1 and 3
    4f, 4f, 4f, 4f, // case 0, finding 1: known absent (all 0)
    9f, -9f, 0f, 1f, // case 1, finding 0: occult (weight 0)
    -0.2f, 0.1f, 1.5f, 0f // case 1, finding 1: lesion in cell 0 only
  };

  private static double crossEntropy(float[] scores, int pair, double[] target) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < CELLS; c++) {
      max = Math.max(max, scores[pair * CELLS + c]);
    }
    double sum = 0;
    for (int c = 0; c < CELLS; c++) {
      sum += Math.exp(scores[pair * CELLS + c] - max);
    }
    double ce = 0;
    for (int c = 0; c < CELLS; c++) {
      ce -= target[c] * (scores[pair * CELLS + c] - max - Math.log(sum));
    }
    return ce;
  }

  private static float loss(float[] scores, CaseBatch b) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      return CamLocalisation.loss(manager, manager.create(scores, new Shape(2, 2, GRID, GRID)), b)
          .getFloat();
    }
  }

  private static CaseBatch fourPairs() {
    float[] targets = new float[2 * 2 * CELLS];
    targets[1] = 0.125f; // case 0, finding 0: cell 1 covered 1/8, cell 3 covered 1/16
    targets[3] = 0.0625f;
    targets[3 * CELLS] = 0.5f; // case 1, finding 1: cell 0 covered half
    targets[2 * CELLS + 2] = 0.7f; // case 1, finding 0 has a map but weight 0 (occult)
    return batch(targets, new float[] {1, 1, 0, 1});
  }

  @Test
  void the_loss_is_the_mean_cross_entropy_of_the_normalised_coverage_over_visible_lesions_only() {
    double first = crossEntropy(CELL_SCORES, 0, new double[] {0, 2.0 / 3, 0, 1.0 / 3});
    double last = crossEntropy(CELL_SCORES, 3, new double[] {1, 0, 0, 0});

    assertThat(loss(CELL_SCORES, fourPairs()))
        .isCloseTo((float) ((first + last) / 2), within(1e-5f));
  }

  @Test
  void moving_all_cells_of_a_finding_by_the_same_amount_leaves_the_loss_unchanged() {
    float[] shifted = CELL_SCORES.clone();
    for (int c = 0; c < CELLS; c++) {
      shifted[c] += 7f; // the head's logit (the cells' mean) rises by 7
    }

    assertThat(loss(shifted, fourPairs())).isCloseTo(loss(CELL_SCORES, fourPairs()), within(1e-5f));
  }

  @Test
  void a_peak_on_the_lesion_costs_less_than_a_peak_elsewhere() {
    float[] onLesion = new float[2 * 2 * CELLS];
    float[] offLesion = new float[2 * 2 * CELLS];
    onLesion[3 * CELLS] = 5f; // case 1, finding 1: peak on cell 0, its lesion
    offLesion[3 * CELLS + 2] = 5f;
    CaseBatch b = batch(withCell(3 * CELLS, 1f), new float[] {0, 0, 0, 1});

    assertThat(loss(onLesion, b)).isLessThan(loss(offLesion, b));
  }

  @Test
  void a_batch_without_a_visible_lesion_adds_nothing() {
    CaseBatch b = batch(new float[2 * 2 * CELLS], new float[] {1, 1, 0, 1}); // known absent only

    assertThat(loss(CELL_SCORES, b)).isZero();
  }

  private static float[] withCell(int index, float value) {
    float[] t = new float[2 * 2 * CELLS];
    t[index] = value;
    return t;
  }
}
