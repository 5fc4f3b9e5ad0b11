package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The CAM localisation loss ({@code docs/decisions/0022-cam-localisation-loss.md}): teaches the
 * image head's class activation map — its per-cell scores, {@link FusionNetwork#imageScores} — to
 * peak where the finding's lesion is.
 */
final class CamLocalisation {
  private CamLocalisation() {}

  /**
   * Mean over the (case, finding) pairs of {@code batch} whose lesion the image shows (lesion
   * weight 1 and some coverage) of the cross-entropy between the lesion's cell coverage, normalised
   * to sum to 1, and the softmax over the cells of {@code cells} {@code (B, F, G, G)}; 0 when no
   * pair has a visible lesion. A softmax does not change when every cell moves by the same amount,
   * so the loss decides where the head's evidence sits without pulling on its logit (the cells'
   * mean).
   */
  static NDArray loss(NDManager manager, NDArray cells, CaseBatch batch) {
    int g = batch.lesionGrid();
    int n = g * g;
    int pairCount = batch.lesionWeights().length;
    float[] targets = batch.lesionTargets().clone();
    float[] pairs = new float[pairCount];
    for (int p = 0; p < pairCount; p++) {
      double sum = 0;
      for (int c = 0; c < n; c++) {
        sum += targets[p * n + c];
      }
      if (batch.lesionWeights()[p] > 0 && sum > 0) {
        pairs[p] = 1;
        for (int c = 0; c < n; c++) {
          targets[p * n + c] /= (float) sum;
        }
      }
    }
    int f = pairCount / batch.size();
    NDArray t = manager.create(targets, new Shape(batch.size(), f, n));
    NDArray w = manager.create(pairs, new Shape(batch.size(), f));
    NDArray logSoftmax = cells.reshape(batch.size(), f, n).logSoftmax(-1);
    NDArray perPair = logSoftmax.mul(t).sum(new int[] {-1}).neg().mul(w);
    return perPair.sum().div(w.sum().maximum(1f));
  }
}
