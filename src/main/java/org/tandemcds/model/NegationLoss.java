package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The negation loss ({@code docs/decisions/0024-negation-loss.md}): teaches the trained model that
 * a mention speaking against a finding ("no pleural effusion", "afebrile", "trachea midline")
 * lowers that finding's fused logit. For each (case, finding) pair whose shown note has such a
 * mention ({@link CaseBatch#negations}), the logit with the note as it is, {@code z}, is compared
 * with the logit with the mention's tokens replaced by the case's mean token embedding, {@code z'}
 * — the baseline the explain stage's integrated gradients start from ({@link
 * FusionGradients#baseline}), so {@code z − z'} is the occlusion counterpart of the mention's
 * attribution. The loss is the mean hinge {@code max(0, z − z' + MARGIN)}: nothing once the mention
 * lowers the logit by the margin. Both passes run in inference mode (no dropout, as explain runs)
 * through the real parameters. Stateless.
 */
final class NegationLoss {
  /** How far below {@code z'} the hinge wants {@code z}, in logits. */
  static final float MARGIN = 0.5f;

  private NegationLoss() {}

  /**
   * The mean hinge over the batch's (case, finding) pairs with a negated mention in a shown note.
   *
   * @param block the trained block ({@code inputs} are its inputs; its first output the fused
   *     logits {@code (B, F)}); the token features are its third input from the end
   * @return a scalar, or null when no pair has a negated mention (nothing ran then)
   */
  static NDArray loss(NDManager manager, Block block, NDList inputs, CaseBatch batch) {
    int b = batch.size();
    int f = batch.labels().length / b;
    int t = batch.tokens();
    int d = batch.dimension();
    List<int[]> pairs = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      if (batch.presence()[2 * i + 1] == 0) {
        continue;
      }
      for (int k = 0; k < f; k++) {
        for (int j = 0; j < t; j++) {
          if ((batch.negations()[i * t + j] >> k & 1) != 0) {
            pairs.add(new int[] {i, k});
            break;
          }
        }
      }
    }
    if (pairs.isEmpty()) {
      return null;
    }
    int rows = pairs.size();
    // rows 0..n-1: each pair's case as it is; rows n..2n-1: the same with the mention at baseline
    float[] tokens = new float[2 * rows * t * d];
    float[] chosen = new float[rows * f];
    for (int r = 0; r < rows; r++) {
      int i = pairs.get(r)[0];
      int k = pairs.get(r)[1];
      chosen[r * f + k] = 1;
      System.arraycopy(batch.features(), i * t * d, tokens, r * t * d, t * d);
      System.arraycopy(batch.features(), i * t * d, tokens, (rows + r) * t * d, t * d);
      int count = 0;
      while (count < t && batch.mask()[i * t + count] > 0) {
        count++;
      }
      float[] own = new float[count * d];
      System.arraycopy(batch.features(), i * t * d, own, 0, count * d);
      float[] mean = FusionGradients.baseline(own, count, d);
      for (int j = 0; j < count; j++) {
        if ((batch.negations()[i * t + j] >> k & 1) != 0) {
          System.arraycopy(mean, j * d, tokens, ((rows + r) * t + j) * d, d);
        }
      }
    }
    int[] cases = new int[2 * rows];
    for (int r = 0; r < 2 * rows; r++) {
      cases[r] = pairs.get(r % rows)[0];
    }
    NDList in = CamLocalisation.gather(inputs, cases);
    in.set(inputs.size() - 3, manager.create(tokens, new Shape(2L * rows, t, d)));
    NDArray logits = block.forward(new ParameterStore(manager, false), in, false).get(0);
    NDArray select = manager.create(chosen, new Shape(rows, f));
    NDArray with = logits.get("0:" + rows).mul(select).sum(new int[] {1});
    NDArray without = logits.get(rows + ":").mul(select).sum(new int[] {1});
    return with.sub(without).add(MARGIN).maximum(0f).mean();
  }
}
