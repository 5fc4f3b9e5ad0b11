package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
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
        weights,
        new byte[2]);
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

  // --- the joint head's loss: HiResCAM through a second-order pass ---

  private static final int JOINT_GRID = 2;
  private static final int JOINT_CELLS = JOINT_GRID * JOINT_GRID;
  private static final int FINDINGS = 5;

  /** A small early-fusion network without dropout (so the loss is a deterministic function). */
  private static FusionNetwork jointNetwork(NDManager manager, NDList in) {
    Engines.init();
    Engine.getEngine(Devices.PYTORCH).setRandomSeed(11);
    FusionSpec spec =
        new FusionSpec(
            FusionSpec.CHEST_FINDINGS, FusionVariant.EARLY, 16, 2, 1, 384, 8, JOINT_GRID, 0f, 0f);
    FusionNetwork net = new FusionNetwork(spec);
    net.initialize(manager, DataType.FLOAT32, in.getShapes());
    return net;
  }

  /** Two cases with image and note: case 0 shows finding 1 (cells 0, 1), case 1 finding 4. */
  private static CaseBatch jointBatch() {
    float[] targets = new float[2 * FINDINGS * JOINT_CELLS];
    float[] weights = new float[2 * FINDINGS];
    targets[JOINT_CELLS] = 0.5f;
    targets[JOINT_CELLS + 1] = 0.25f;
    weights[1] = 1;
    targets[(FINDINGS + 4) * JOINT_CELLS + 3] = 0.8f;
    weights[FINDINGS + 4] = 1;
    weights[FINDINGS + 2] = 1; // known absent: no row
    return new CaseBatch(
        2,
        64,
        3,
        384,
        new float[0],
        new float[0],
        new float[0],
        new float[] {1, 1, 1, 1},
        new float[2 * FINDINGS],
        JOINT_GRID,
        targets,
        weights,
        new byte[2 * 3]);
  }

  private static NDList jointInputs(NDManager manager) {
    manager.getEngine().setRandomSeed(3);
    NDArray map = manager.randomUniform(0, 2, new Shape(2, 8, JOINT_GRID, JOINT_GRID));
    return new NDList(
        map,
        map.reshape(2, 8, JOINT_CELLS).mean(new int[] {2}),
        manager.randomNormal(new Shape(2, 3, 384)),
        manager.ones(new Shape(2, 3)),
        manager.ones(new Shape(2, 2)));
  }

  private static float jointLossValue(NDManager manager, FusionNetwork net, NDList in) {
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      return CamLocalisation.jointLoss(step, net, in, jointBatch()).getFloat();
    }
  }

  @Test
  void the_joint_heads_loss_gives_its_parameters_the_gradient_finite_differences_measure() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDList in = jointInputs(manager);
      FusionNetwork net = jointNetwork(manager, in);
      Parameter probe = parameter(net, "joint_hidden");
      float[] analytic;
      try (NDManager step = manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(CamLocalisation.jointLoss(step, net, in, jointBatch()));
        analytic = probe.getArray().getGradient().toFloatArray();
      }

      double norm = 0;
      for (float g : analytic) {
        norm += g * g;
      }
      norm = Math.sqrt(norm);
      float[] original = probe.getArray().toFloatArray();
      double eps = 1e-2;
      float[] plus = original.clone();
      float[] minus = original.clone();
      for (int i = 0; i < original.length; i++) {
        plus[i] += (float) (eps * analytic[i] / norm);
        minus[i] -= (float) (eps * analytic[i] / norm);
      }
      probe.getArray().set(plus);
      float up = jointLossValue(manager, net, in);
      probe.getArray().set(minus);
      float down = jointLossValue(manager, net, in);
      probe.getArray().set(original);
      double directional = (up - down) / (2 * eps);

      assertThat(norm).isGreaterThan(1e-4);
      // along the gradient, the loss changes by |gradient| per unit step
      assertThat(directional).isCloseTo(norm, within(0.01 * norm));
    }
  }

  @Test
  void a_row_whose_feature_map_is_all_zero_gives_a_finite_loss_and_gradient() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDList in = jointInputs(manager);
      in.get(0).set(new ai.djl.ndarray.index.NDIndex("0"), 0f); // case 0's map: nothing at all
      FusionNetwork net = jointNetwork(manager, in);
      Parameter probe = parameter(net, "joint_hidden");
      try (NDManager step = manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = CamLocalisation.jointLoss(step, net, in, jointBatch());
        collector.backward(loss);

        assertThat(loss.getFloat()).isFinite();
        for (float g : probe.getArray().getGradient().toFloatArray()) {
          assertThat(g).isFinite();
        }
      }
    }
  }

  @Test
  void the_joint_heads_loss_is_the_cross_entropy_of_its_hires_cam_against_the_lesion() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDList in = jointInputs(manager);
      FusionNetwork net = jointNetwork(manager, in);
      double expected = 0;
      int[][] pairs = {{0, 1}, {1, 4}};
      double[][] targets = {{2.0 / 3, 1.0 / 3, 0, 0}, {0, 0, 0, 1}};
      for (int r = 0; r < 2; r++) {
        float[] cam = hiResCam(manager, net, in, pairs[r][0], pairs[r][1]);
        expected += crossEntropy(cam, 0, targets[r]) / 2;
      }

      assertThat(jointLossValue(manager, net, in)).isCloseTo((float) expected, within(1e-4f));
    }
  }

  /**
   * HiResCAM of one case's joint logit for one finding, times the cell count, by an ordinary
   * first-order backward on the whole batch.
   */
  private static float[] hiResCam(
      NDManager manager, FusionNetwork net, NDList in, int caseIndex, int finding) {
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray map = in.get(0).duplicate();
      map.attach(step);
      map.setRequiresGradient(true);
      NDList inputs = new NDList(map, in.get(1), in.get(2), in.get(3), in.get(4));
      NDArray joint =
          net.forward(new ai.djl.training.ParameterStore(step, false), inputs, true).get(1);
      collector.backward(joint.get(caseIndex + ", " + finding + ", 2"));
      float[] g = map.getGradient().toFloatArray();
      float[] a = in.get(0).toFloatArray();
      int channels = 8;
      float[] cam = new float[JOINT_CELLS];
      for (int c = 0; c < channels; c++) {
        for (int cell = 0; cell < JOINT_CELLS; cell++) {
          int i = (caseIndex * channels + c) * JOINT_CELLS + cell;
          cam[cell] += a[i] * g[i] * JOINT_CELLS;
        }
      }
      return cam;
    }
  }

  private static Parameter parameter(FusionNetwork net, String block) {
    for (var e : net.getParameters()) {
      if (e.getKey().contains(block) && e.getKey().endsWith("weight")) {
        return e.getValue();
      }
    }
    throw new AssertionError("no weight in " + block);
  }

  private static float[] withCell(int index, float value) {
    float[] t = new float[2 * 2 * CELLS];
    t[index] = value;
    return t;
  }
}
