package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017) with a key padding mask.
 *
 * <p>Inputs: queries {@code (B, Tq, d)}, keys/values {@code (B, Tk, d)}, key mask {@code (B, Tk)}
 * (1 = attend, 0 = padding or absent modality). Output: {@code (B, Tq, d)}. A row whose keys are
 * all masked attends uniformly (masking adds −10⁴, never −∞, so nothing becomes NaN); callers keep
 * at least one real key (a learned null token) where that matters.
 */
public final class MultiHeadAttention extends AbstractBlock {
  private static final float MASKED = -1e4f;

  private final int width;
  private final int heads;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final Dropout dropout;

  public MultiHeadAttention(int width, int heads, float dropoutRate) {
    this.width = width;
    this.heads = heads;
    this.query = addChildBlock("query", Linear.builder().setUnits(width).build());
    this.key = addChildBlock("key", Linear.builder().setUnits(width).build());
    this.value = addChildBlock("value", Linear.builder().setUnits(width).build());
    this.output = addChildBlock("output", Linear.builder().setUnits(width).build());
    this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray q = split(project(ps, query, inputs.get(0), training));
    NDArray k = split(project(ps, key, inputs.get(1), training));
    NDArray v = split(project(ps, value, inputs.get(1), training));
    NDArray mask = inputs.get(2).expandDims(1).expandDims(1);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(width / (double) heads));
    NDArray weights = scores.add(mask.sub(1f).mul(-MASKED)).softmax(-1);
    weights = dropout.forward(ps, new NDList(weights), training).singletonOrThrow();
    NDArray merged = merge(weights.matMul(v));
    return output.forward(ps, new NDList(merged), training);
  }

  private static NDArray project(ParameterStore ps, Linear l, NDArray x, boolean training) {
    return l.forward(ps, new NDList(x), training).singletonOrThrow();
  }

  /** (B, T, d) → (B, h, T, d/h). */
  private NDArray split(NDArray x) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), heads, width / heads).transpose(0, 2, 1, 3);
  }

  /** (B, h, T, d/h) → (B, T, d). */
  private NDArray merge(NDArray x) {
    Shape s = x.getShape();
    return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), width);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    Shape in = new Shape(1, width);
    query.initialize(manager, dataType, in);
    key.initialize(manager, dataType, in);
    value.initialize(manager, dataType, in);
    output.initialize(manager, dataType, in);
    dropout.initialize(manager, dataType, in);
  }
}
