package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pre-norm transformer layer: {@code x + attention(LN(x), LN(context))}, then {@code x +
 * FFN(LN(x))} with a GELU feed-forward of width {@code 2d}. With {@code context = x} it is a
 * self-attention encoder layer; with another sequence it is a cross-attention layer.
 *
 * <p>Inputs: {@code x (B, Tq, d)}, {@code context (B, Tk, d)}, context mask {@code (B, Tk)}.
 * Output: {@code (B, Tq, d)}.
 */
public final class AttentionLayer extends AbstractBlock {
  private final int width;
  private final boolean selfAttention;
  private final LayerNorm normQuery;
  private final LayerNorm normContext;
  private final MultiHeadAttention attention;
  private final LayerNorm normFeedForward;
  private final Linear expand;
  private final Linear contract;
  private final Dropout dropout;

  public AttentionLayer(int width, int heads, float dropoutRate, boolean selfAttention) {
    this.width = width;
    this.selfAttention = selfAttention;
    this.normQuery = addChildBlock("norm_query", LayerNorm.builder().axis(2).build());
    this.normContext =
        selfAttention
            ? normQuery
            : addChildBlock("norm_context", LayerNorm.builder().axis(2).build());
    this.attention = addChildBlock("attention", new MultiHeadAttention(width, heads, dropoutRate));
    this.normFeedForward = addChildBlock("norm_ffn", LayerNorm.builder().axis(2).build());
    this.expand = addChildBlock("ffn_expand", Linear.builder().setUnits(2L * width).build());
    this.contract = addChildBlock("ffn_contract", Linear.builder().setUnits(width).build());
    this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray q = one(ps, normQuery, x, training);
    NDArray context = selfAttention ? q : one(ps, normContext, inputs.get(1), training);
    NDArray attended =
        attention.forward(ps, new NDList(q, context, inputs.get(2)), training).singletonOrThrow();
    x = x.add(one(ps, dropout, attended, training));
    NDArray hidden =
        Activation.gelu(one(ps, expand, one(ps, normFeedForward, x, training), training));
    NDArray ffn = one(ps, dropout, one(ps, contract, hidden, training), training);
    return new NDList(x.add(ffn));
  }

  static NDArray one(ParameterStore ps, ai.djl.nn.Block block, NDArray x, boolean training) {
    return block.forward(ps, new NDList(x), training).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    Shape tokens = new Shape(1, 1, width);
    normQuery.initialize(manager, dataType, tokens);
    if (!selfAttention) {
      normContext.initialize(manager, dataType, tokens);
    }
    Shape mask = new Shape(1, 1);
    attention.initialize(manager, dataType, tokens, tokens, mask);
    normFeedForward.initialize(manager, dataType, tokens);
    expand.initialize(manager, dataType, tokens);
    contract.initialize(manager, dataType, new Shape(1, 1, 2L * width));
    dropout.initialize(manager, dataType, tokens);
  }
}
