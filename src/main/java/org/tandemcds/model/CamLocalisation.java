package org.tandemcds.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CAM localisation loss ({@code docs/decisions/0022-cam-localisation-loss.md}, {@code
 * docs/decisions/0023-joint-head-cam-localisation.md}): teaches a head's class activation map to
 * peak where the finding's lesion is — the image head's per-cell scores ({@link
 * FusionNetwork#imageScores}), and the joint head's HiResCAM over the feature map it reads, which
 * depends on its gradient and so needs a second-order pass.
 */
final class CamLocalisation {
  private CamLocalisation() {}

  /**
   * Mean over the (case, finding) pairs of {@code batch} whose lesion the image shows (lesion
   * weight 1, some coverage, image not hidden) of the cross-entropy between the lesion's cell
   * coverage, normalised to sum to 1, and the softmax over the cells of {@code cells} {@code (B, F,
   * G, G)}; 0 when no pair has a visible lesion. A softmax does not change when every cell moves by
   * the same amount, so the loss decides where the head's evidence sits without pulling on its
   * logit (the cells' mean).
   */
  static NDArray loss(NDManager manager, NDArray cells, CaseBatch batch) {
    Targets t = targets(batch);
    int n = batch.lesionGrid() * batch.lesionGrid();
    int f = t.pairs.length / batch.size();
    NDArray target = manager.create(t.normalised, new Shape(batch.size(), f, n));
    NDArray w = manager.create(t.pairs, new Shape(batch.size(), f));
    NDArray logSoftmax = cells.reshape(batch.size(), f, n).logSoftmax(-1);
    NDArray perPair = logSoftmax.mul(target).sum(new int[] {-1}).neg().mul(w);
    return perPair.sum().div(w.sum().maximum(1f));
  }

  /**
   * The same cross-entropy for the joint head, whose class activation map is HiResCAM over the
   * feature map it reads: {@code H² · Σ_c A_c ⊙ ∂joint_k/∂A_c} (for a mean-pooled linear head this
   * is exactly its per-cell scores, so both heads are held to the same kind of map on the same
   * scale), computed as the explain stage computes it, in inference mode. Each visible (case,
   * finding) pair is one row, gathered from {@code inputs} (the batch's fusion inputs).
   *
   * <p>The loss depends on the joint head's parameters θ through a gradient, so its own gradient is
   * second order. It is computed without a second-order graph (which PyTorch's {@code
   * backward(create_graph)} would tie into a reference cycle with every leaf's gradient, leaking a
   * step's activations each step): with {@code G = ∂J/∂A} and {@code v = ∂L/∂G} (closed form, held
   * fixed), {@code ∂L/∂θ = ∂/∂θ (v · ∂J/∂A)}, the θ-gradient of J's directional derivative along
   * {@code v}, which is the central difference {@code (J(A + s·v) − J(A − s·v)) / 2s} (a
   * Hessian-vector product by finite differences; {@code s} makes the step 1 % of the row's largest
   * activation). The first pass reads detached copies of the parameters, so it touches no parameter
   * gradient.
   *
   * @return a scalar whose value is the loss and whose gradient with respect to the parameters is
   *     the loss's; null when no pair has a visible lesion (nothing ran then)
   */
  static NDArray jointLoss(
      NDManager manager, FusionNetwork network, NDList inputs, CaseBatch batch) {
    Targets t = targets(batch);
    int n = batch.lesionGrid() * batch.lesionGrid();
    int f = t.pairs.length / batch.size();
    List<Integer> rows = new ArrayList<>();
    for (int p = 0; p < t.pairs.length; p++) {
      if (t.pairs[p] > 0) {
        rows.add(p);
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    int count = rows.size();
    NDList gathered = gather(inputs, rows.stream().mapToInt(p -> p / f).toArray());
    float[] select = new float[count * f];
    float[] target = new float[count * n];
    for (int r = 0; r < count; r++) {
      int p = rows.get(r);
      select[r * f + p % f] = 1;
      System.arraycopy(t.normalised, p * n, target, r * n, n);
    }
    NDArray chosen = manager.create(select, new Shape(count, f));
    NDArray map = gathered.get(0);

    // first pass: G = ∂J/∂A, with detached parameter copies
    Map<String, NDArray> detached = new HashMap<>();
    for (var p : network.getParameters().values()) {
      detached.put(p.getId(), p.getArray().stopGradient());
    }
    NDArray leaf = map.duplicate();
    leaf.setRequiresGradient(true);
    NDArray joint = jointLogits(network, new CopiedParameters(manager, detached), gathered, leaf);
    NDArray sum = joint.mul(chosen).sum();
    JniUtils.backward((PtNDArray) sum, (PtNDArray) sum.onesLike(), false, false);
    NDArray gradient = leaf.getGradient().stopGradient();

    NDArray cam = gradient.mul(map).sum(new int[] {1}).reshape(count, n).mul(n);
    NDArray logSoftmax = cam.logSoftmax(-1);
    NDArray t2 = manager.create(target, new Shape(count, n));
    NDArray value = logSoftmax.mul(t2).sum(new int[] {-1}).neg().mean();

    // v = ∂L/∂G = A ⊙ n·(softmax − target)/rows, broadcast over the channels
    long[] cells = map.getShape().slice(2).getShape();
    NDArray perCell = logSoftmax.exp().sub(t2).mul((float) n / count);
    NDArray v = map.mul(perCell.reshape(new Shape(count, 1).addAll(new Shape(cells))));
    NDArray peakA = map.abs().reshape(count, -1).max(new int[] {1});
    NDArray peakV = v.abs().reshape(count, -1).max(new int[] {1}).maximum(1e-20f);
    // s per row; a row whose map is all zero has v = 0 and s would be 0 (0/0 below): held above 0
    NDArray step = peakA.mul(0.01f).div(peakV).maximum(1e-12f).reshape(count, 1, 1, 1);
    ParameterStore own = new CopiedParameters(manager, Map.of());
    NDArray plus = jointLogits(network, own, gathered, map.add(v.mul(step)));
    NDArray minus = jointLogits(network, own, gathered, map.sub(v.mul(step)));
    NDArray directional =
        plus.sub(minus).mul(chosen).sum(new int[] {1}).div(step.reshape(count).mul(2f)).sum();
    return directional.sub(directional.stopGradient()).add(value);
  }

  /**
   * The joint head's logits {@code (rows, F)} in inference mode with {@code map} as feature map.
   */
  private static NDArray jointLogits(
      FusionNetwork network, ParameterStore store, NDList gathered, NDArray map) {
    NDList in = new NDList(map, gathered.get(1), gathered.get(2), gathered.get(3), gathered.get(4));
    return network.forward(store, in, false).get(1).get(":, :, 2");
  }

  /** Each input's rows {@code cases[0], cases[1], …} (repeats allowed), in that order. */
  static NDList gather(NDList inputs, int[] cases) {
    NDList gathered = new NDList();
    for (NDArray x : inputs) {
      NDList parts = new NDList();
      for (int i : cases) {
        parts.add(x.get(i).expandDims(0));
      }
      gathered.add(NDArrays.concat(parts));
    }
    return gathered;
  }

  /** A parameter store that hands out the given copies, and every other parameter as it is. */
  private static final class CopiedParameters extends ParameterStore {
    private final Map<String, NDArray> copies;

    CopiedParameters(NDManager manager, Map<String, NDArray> copies) {
      super(manager, false);
      this.copies = copies;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
      NDArray copy = copies.get(parameter.getId());
      return copy != null ? copy : parameter.getArray();
    }
  }

  /** Per (case, finding): 1 where the lesion is visible, and the coverage normalised to sum 1. */
  private record Targets(float[] pairs, float[] normalised) {}

  private static Targets targets(CaseBatch batch) {
    int g = batch.lesionGrid();
    int n = g * g;
    int pairCount = batch.lesionWeights().length;
    int f = pairCount / batch.size();
    float[] targets = batch.lesionTargets().clone();
    float[] pairs = new float[pairCount];
    for (int p = 0; p < pairCount; p++) {
      double sum = 0;
      for (int c = 0; c < n; c++) {
        sum += targets[p * n + c];
      }
      boolean shown = batch.presence()[2 * (p / f)] > 0;
      if (batch.lesionWeights()[p] > 0 && sum > 0 && shown) {
        pairs[p] = 1;
        for (int c = 0; c < n; c++) {
          targets[p * n + c] /= (float) sum;
        }
      }
    }
    return new Targets(pairs, targets);
  }
}
