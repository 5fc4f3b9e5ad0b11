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
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NegationLossTest {
  private static final int FINDINGS = FusionSpec.CHEST_FINDINGS.size();
  private static final int GRID = 3;
  private static final int TOKENS = 4;
  private static final int DIM = 384;

  /**
   * Three cases: case 0's tokens 1–2 speak against finding 1; case 1 (3 tokens, one padding) has
   * tokens 0 and 2 against findings 0 and 4; case 2's note is hidden (modality dropout), so its
   * mention against finding 1 counts for nothing.
   */
  private static CaseBatch batch(float[] features, byte[] negations) {
    float[] mask = new float[3 * TOKENS];
    java.util.Arrays.fill(mask, 0, TOKENS, 1f);
    java.util.Arrays.fill(mask, TOKENS, TOKENS + 3, 1f);
    return new CaseBatch(
        3,
        64,
        TOKENS,
        DIM,
        new float[0],
        features,
        mask,
        new float[] {1, 1, 1, 1, 1, 0},
        new float[3 * FINDINGS],
        0,
        new float[0],
        new float[3 * FINDINGS],
        negations);
  }

  private static byte[] negations() {
    byte[] n = new byte[3 * TOKENS];
    n[1] = 1 << 1;
    n[2] = 1 << 1;
    n[TOKENS] = 1 | 1 << 4;
    n[TOKENS + 2] = 1 | 1 << 4;
    n[2 * TOKENS] = 1 << 1;
    return n;
  }

  private static float[] features() {
    Random r = new Random(5);
    float[] f = new float[3 * TOKENS * DIM];
    for (int c = 0; c < 3; c++) {
      int count = c == 1 ? 3 : c == 2 ? 0 : TOKENS;
      for (int i = 0; i < count * DIM; i++) {
        f[c * TOKENS * DIM + i] = (float) r.nextGaussian();
      }
    }
    return f;
  }

  private static NDList inputs(NDManager manager, CaseBatch b) {
    manager.getEngine().setRandomSeed(3);
    NDArray map = manager.randomUniform(0, 2, new Shape(3, 8, GRID, GRID));
    return new NDList(
        map,
        map.reshape(3, 8, GRID * GRID).mean(new int[] {2}),
        manager.create(b.features(), new Shape(3, TOKENS, DIM)),
        manager.create(b.mask(), new Shape(3, TOKENS)),
        manager.create(b.presence(), new Shape(3, 2)));
  }

  private static FusionNetwork network(NDManager manager, NDList in) {
    Engines.init();
    Engine.getEngine(Devices.PYTORCH).setRandomSeed(11);
    FusionSpec spec =
        new FusionSpec(
            FusionSpec.CHEST_FINDINGS, FusionVariant.EARLY, 16, 2, 1, DIM, 8, GRID, 0f, 0f);
    FusionNetwork net = new FusionNetwork(spec);
    net.initialize(manager, DataType.FLOAT32, in.getShapes());
    return net;
  }

  /** Case {@code i}'s fused logit for finding {@code k}, its tokens given, run alone. */
  private static float logit(
      NDManager manager, FusionNetwork net, NDList in, int i, float[] tokens, int k) {
    NDList one = new NDList();
    for (int q = 0; q < in.size(); q++) {
      one.add(
          q == 2
              ? manager.create(tokens, new Shape(1, TOKENS, DIM))
              : in.get(q).get(i).expandDims(0));
    }
    return net.forward(new ParameterStore(manager, false), one, false).get(0).get(0).getFloat(k);
  }

  /** Case {@code i}'s tokens, those listed replaced by the mean of its first {@code count}. */
  private static float[] replaced(float[] features, int i, int count, int... positions) {
    float[] t = new float[TOKENS * DIM];
    System.arraycopy(features, i * TOKENS * DIM, t, 0, TOKENS * DIM);
    for (int d = 0; d < DIM; d++) {
      double mean = 0;
      for (int j = 0; j < count; j++) {
        mean += features[(i * TOKENS + j) * DIM + d];
      }
      for (int p : positions) {
        t[p * DIM + d] = (float) (mean / count);
      }
    }
    return t;
  }

  @Test
  void the_loss_is_the_mean_hinge_of_the_logit_with_and_without_each_shown_negated_mention() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float[] features = features();
      CaseBatch b = batch(features, negations());
      NDList in = inputs(manager, b);
      FusionNetwork net = network(manager, in);

      // three pairs: (case 0, finding 1) with tokens 1, 2 replaced; (case 1, findings 0 and 4)
      // with tokens 0, 2 replaced
      double[] gaps = {
        logit(manager, net, in, 0, replaced(features, 0, TOKENS), 1)
            - logit(manager, net, in, 0, replaced(features, 0, TOKENS, 1, 2), 1),
        logit(manager, net, in, 1, replaced(features, 1, 3), 0)
            - logit(manager, net, in, 1, replaced(features, 1, 3, 0, 2), 0),
        logit(manager, net, in, 1, replaced(features, 1, 3), 4)
            - logit(manager, net, in, 1, replaced(features, 1, 3, 0, 2), 4)
      };
      double expected = 0;
      int active = 0;
      for (double g : gaps) {
        expected += Math.max(0, g + NegationLoss.MARGIN) / gaps.length;
        active += g + NegationLoss.MARGIN > 0 ? 1 : 0;
      }
      // pairs on both sides of the hinge, so the value tells the pairs and the hinge apart
      assertThat(active).isBetween(1, gaps.length - 1);

      float value = NegationLoss.loss(manager, net, in, b).getFloat();

      assertThat((double) value).isCloseTo(expected, within(1e-5));
    }
  }

  @Test
  void a_gradient_step_on_the_loss_lowers_it() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      CaseBatch b = batch(features(), negations());
      NDList in = inputs(manager, b);
      FusionNetwork net = network(manager, in);
      float before;
      java.util.Map<Parameter, float[]> stepped = new java.util.HashMap<>();
      try (NDManager step = manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = NegationLoss.loss(step, net, in, b);
        before = loss.getFloat();
        collector.backward(loss);
        for (Parameter p : net.getParameters().values()) {
          if (p.getArray().hasGradient()) {
            float[] value = p.getArray().toFloatArray();
            float[] g = p.getArray().getGradient().toFloatArray();
            for (int i = 0; i < value.length; i++) {
              value[i] -= 0.05f * g[i];
            }
            stepped.put(p, value);
          }
        }
      }
      assertThat(stepped).isNotEmpty();
      stepped.forEach((p, value) -> p.getArray().set(value));
      float after = NegationLoss.loss(manager, net, in, b).getFloat();

      assertThat(before).isPositive();
      assertThat(after).isLessThan(before);
    }
  }

  @Test
  void a_batch_whose_only_negated_mention_is_in_a_hidden_note_runs_nothing() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      byte[] onlyHidden = new byte[3 * TOKENS];
      onlyHidden[2 * TOKENS] = 1 << 1;
      CaseBatch b = batch(features(), onlyHidden);
      NDList in = inputs(manager, b);

      assertThat(NegationLoss.loss(manager, network(manager, in), in, b)).isNull();
    }
  }
}
