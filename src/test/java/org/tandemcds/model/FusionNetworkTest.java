package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FusionNetworkTest {
  private static final ImageNetworkSpec IMAGE = ImageNetworkSpec.standard().withInputSize(64);
  private static final int BATCH = 3;
  private static final int TOKENS = 7;

  @BeforeAll
  static void offline() {
    Engines.init();
  }

  static FusionSpec small(FusionVariant variant) {
    return new FusionSpec(
        FusionSpec.CHEST_FINDINGS, variant, 32, 4, 1, 384, IMAGE.channels(), 2, 0.1f);
  }

  @ParameterizedTest
  @EnumSource(FusionVariant.class)
  void every_variant_gives_logits_heads_and_gates_of_the_contracted_shapes_for_every_presence(
      FusionVariant variant) {
    for (boolean[] p :
        List.of(
            new boolean[] {true, true}, new boolean[] {true, false}, new boolean[] {false, true})) {
      if (!variant.serves(p[0], p[1])) {
        continue;
      }
      try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
        CaseNetwork net = new CaseNetwork(IMAGE, small(variant));
        NDList in = inputs(manager, p[0], p[1]);
        net.initialize(manager, DataType.FLOAT32, in.getShapes());
        NDList out = net.forward(new ParameterStore(manager, false), in, false);

        assertThat(out.get(0).getShape()).isEqualTo(new Shape(BATCH, 5));
        assertThat(out.get(1).getShape()).isEqualTo(new Shape(BATCH, 5, 3));
        assertThat(out.get(2).getShape()).isEqualTo(new Shape(BATCH, 5, 3));
        assertGates(variant, out, p[0], p[1]);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void a_log_sum_exp_image_head_pools_the_per_cell_scores_it_also_hands_to_lesion_supervision() {
    float r = 2f;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      FusionSpec spec = small(FusionVariant.IMAGE_ONLY).withImagePooling(r);
      CaseNetwork net = new CaseNetwork(IMAGE, spec);
      NDList in = inputs(manager, true, false);
      net.initialize(manager, DataType.FLOAT32, in.getShapes());
      ParameterStore ps = new ParameterStore(manager, false);

      NDList training = net.forward(ps, in, true);
      NDList out = net.forward(ps, in, false);
      NDArray map = net.image().forward(ps, new NDList(in.get(0)), false).get(0);
      float[] cells = net.fusion().imageScores(ps, map, false).toFloatArray(); // (B, F, H, H)

      int h = spec.mapRows();
      assertThat(training.get(CaseNetwork.LESION_OUTPUT).getShape())
          .isEqualTo(new Shape(BATCH, 5, h, h));
      float[] heads = out.get(1).toFloatArray(); // (B, F, 3): image head first
      for (int b = 0; b < BATCH; b++) {
        for (int k = 0; k < 5; k++) {
          double sum = 0;
          for (int c = 0; c < h * h; c++) {
            sum += Math.exp(r * cells[(b * 5 + k) * h * h + c]);
          }
          double expected = Math.log(sum / (h * h)) / r;
          assertThat(heads[(b * 5 + k) * 3]).isCloseTo((float) expected, within(1e-4f));
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void
      with_mean_pooling_the_image_logit_is_the_mean_of_its_cell_scores_and_lesions_have_own_conv() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      FusionSpec spec = small(FusionVariant.IMAGE_ONLY);
      CaseNetwork net = new CaseNetwork(IMAGE, spec);
      NDList in = inputs(manager, true, false);
      net.initialize(manager, DataType.FLOAT32, in.getShapes());
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray map = net.image().forward(ps, new NDList(in.get(0)), false).get(0);
      float[] cells = net.fusion().imageScores(ps, map, false).toFloatArray(); // (B, F, H, H)
      float[] heads = net.forward(ps, in, false).get(1).toFloatArray(); // (B, F, 3)

      int h = spec.mapRows();
      for (int b = 0; b < BATCH; b++) {
        for (int k = 0; k < 5; k++) {
          double sum = 0;
          for (int c = 0; c < h * h; c++) {
            sum += cells[(b * 5 + k) * h * h + c];
          }
          assertThat(heads[(b * 5 + k) * 3]).isCloseTo((float) (sum / (h * h)), within(1e-4f));
        }
      }
      NDList training = net.forward(ps, in, true);
      assertThat(training.size()).isEqualTo(5);
      assertThat(training.get(CaseNetwork.CAM_OUTPUT).getShape())
          .isEqualTo(new Shape(BATCH, 5, h, h));
      // the lesion logits are the separate 1×1 convolution's, not the head's cells
      assertThat(training.get(CaseNetwork.LESION_OUTPUT).toFloatArray())
          .isNotEqualTo(training.get(CaseNetwork.CAM_OUTPUT).toFloatArray());
    }
  }

  @org.junit.jupiter.api.Test
  void a_gate_set_for_both_inputs_gives_those_weights_and_leaves_one_input_cases_their_head() {
    double[][] weights = {
      {0.5, 0.15, 0.35}, {0, 0, 1}, {0.55, 0.4, 0.05}, {1, 0, 0}, {0.3, 0.35, 0.35}
    };
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      CaseNetwork net = new CaseNetwork(IMAGE, small(FusionVariant.HYBRID));
      NDList both = inputs(manager, true, true);
      net.initialize(manager, DataType.FLOAT32, both.getShapes());
      net.fusion().setGateForBothInputs(weights);

      float[] gates =
          net.forward(new ParameterStore(manager, false), both, false).get(2).toFloatArray();
      for (int b = 0; b < BATCH; b++) {
        for (int k = 0; k < 5; k++) {
          for (int h = 0; h < 3; h++) {
            assertThat((double) gates[(b * 5 + k) * 3 + h])
                .as("case %d finding %d head %d", b, k, h)
                .isCloseTo(weights[k][h], within(1e-6));
          }
        }
      }
      NDList imageOnly = inputs(manager, true, false);
      NDList out = net.forward(new ParameterStore(manager, false), imageOnly, false);
      float[] one = out.get(2).toFloatArray();
      for (int row = 0; row < BATCH * 5; row++) {
        assertThat(one[3 * row]).as("image-only case, image head").isCloseTo(1f, within(1e-6f));
      }
      assertGates(FusionVariant.HYBRID, out, true, false);
    }
  }

  private static void assertGates(FusionVariant variant, NDList out, boolean image, boolean note) {
    float[] fused = out.get(0).toFloatArray();
    float[] heads = out.get(1).toFloatArray();
    float[] gates = out.get(2).toFloatArray();
    for (int row = 0; row < BATCH * 5; row++) {
      float sum = gates[3 * row] + gates[3 * row + 1] + gates[3 * row + 2];
      assertThat(sum).as("gate sum, variant " + variant).isCloseTo(1f, within(1e-5f));
      if (!image) {
        assertThat(gates[3 * row]).isZero();
      }
      if (!note) {
        assertThat(gates[3 * row + 1]).isZero();
      }
      if (!(image && note) && variant != FusionVariant.EARLY) {
        assertThat(gates[3 * row + 2]).isZero();
      }
      float expected = 0;
      for (int h = 0; h < 3; h++) {
        expected += gates[3 * row + h] * heads[3 * row + h];
      }
      assertThat(fused[row]).isCloseTo(expected, within(1e-4f));
    }
  }

  static NDList inputs(NDManager manager, boolean image, boolean note) {
    manager.getEngine().setRandomSeed(5);
    NDArray images = manager.randomUniform(0, 1, new Shape(BATCH, 1, 64, 64));
    NDArray tokens = manager.randomNormal(new Shape(BATCH, TOKENS, 384));
    float[] mask = new float[BATCH * TOKENS];
    for (int b = 0; b < BATCH; b++) {
      for (int t = 0; t < TOKENS - b; t++) {
        mask[b * TOKENS + t] = note ? 1 : 0;
      }
    }
    float[] presence = new float[BATCH * 2];
    for (int b = 0; b < BATCH; b++) {
      presence[2 * b] = image ? 1 : 0;
      presence[2 * b + 1] = note ? 1 : 0;
    }
    return new NDList(
        images,
        tokens,
        manager.create(mask, new Shape(BATCH, TOKENS)),
        manager.create(presence, new Shape(BATCH, 2)));
  }
}
