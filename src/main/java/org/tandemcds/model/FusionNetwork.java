package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Tandem's hybrid fusion network over the image feature map and the frozen note token features.
 *
 * <ul>
 *   <li>Note path: frozen 384-d token features → linear to {@code d} → {@code noteLayers} trainable
 *       self-attention layers with a key padding mask (all windows of all notes of a case
 *       concatenated; nothing truncated).
 *   <li>Image head (late fusion): linear over the pooled image embedding.
 *   <li>Note head (late fusion): one learned query per finding attends over the note tokens
 *       (label-wise attention), then a per-finding linear read-out.
 *   <li>Joint head (intermediate fusion): the {@code H²} image patches (linear to {@code d} plus a
 *       learned position embedding) attend to the note tokens and the note tokens attend to the
 *       patches (one cross-attention layer each way, each with a learned null token so a missing
 *       modality never leaves a query without keys); masked means of both, concatenated, through a
 *       two-layer MLP.
 *   <li>Gate: per finding, softmax weights over the heads from a linear map of the presence mask; a
 *       head whose inputs are missing gets weight exactly 0, and the rest sum to 1. The fused logit
 *       is the gate-weighted sum of the head logits.
 * </ul>
 *
 * <p>Inputs ({@link NDList}, batch {@code B}): feature map {@code (B, C, H, H)}, pooled image
 * {@code (B, C)}, note tokens {@code (B, T, 384)}, token mask {@code (B, T)} (1 = token, 0 =
 * padding), presence {@code (B, 2)} (image, note; 1 = present). Absent inputs are zeros of the same
 * shape ({@code T ≥ 1}). Outputs: fused logits {@code (B, F)}, head logits {@code (B, F, 3)}
 * (image, note, joint; 0 for a head the variant lacks) and gate weights {@code (B, F, 3)}.
 */
public final class FusionNetwork extends AbstractBlock {
  private static final float MASKED = 1e4f;

  private final FusionSpec spec;
  private final FusionVariant variant;
  private Linear imageHead;
  private Linear noteProjection;
  private final List<AttentionLayer> noteLayers = new ArrayList<>();
  private Parameter noteQueries;
  private Parameter noteReadout;
  private Parameter noteBias;
  private Linear imageProjection;
  private Parameter imagePositions;
  private Parameter nullImage;
  private Parameter nullNote;
  private AttentionLayer imageToNote;
  private AttentionLayer noteToImage;
  private Linear jointHidden;
  private Linear jointOut;
  private Linear gate;

  public FusionNetwork(FusionSpec spec) {
    this.spec = spec;
    this.variant = spec.variant();
    if (variant.imageHead()) {
      imageHead = addChildBlock("image_head", linear(spec.findingCount()));
    }
    if (variant.usesNote()) {
      buildNotePath();
    }
    if (variant.noteHead()) {
      buildNoteHead();
    }
    if (variant.jointHead()) {
      buildJoint();
    }
    if (gated()) {
      gate = addChildBlock("gate", linear(3L * spec.findingCount()));
    }
  }

  public FusionSpec spec() {
    return spec;
  }

  private boolean gated() {
    return variant.gated();
  }

  private void buildNotePath() {
    noteProjection = addChildBlock("note_projection", linear(spec.width()));
    for (int i = 0; i < spec.noteLayers(); i++) {
      noteLayers.add(
          addChildBlock(
              "note_layer_" + i,
              new AttentionLayer(spec.width(), spec.heads(), spec.dropout(), true)));
    }
  }

  private void buildNoteHead() {
    int f = spec.findingCount();
    noteQueries = addParameter(weight("note_queries", new Shape(f, spec.width())));
    noteReadout = addParameter(weight("note_readout", new Shape(f, spec.width())));
    noteBias =
        addParameter(
            Parameter.builder()
                .setName("note_bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(f))
                .build());
  }

  private void buildJoint() {
    int d = spec.width();
    imageProjection = addChildBlock("image_projection", linear(d));
    imagePositions = addParameter(embedding("image_positions", new Shape(1, spec.patches(), d)));
    nullImage = addParameter(embedding("null_image", new Shape(1, 1, d)));
    nullNote = addParameter(embedding("null_note", new Shape(1, 1, d)));
    imageToNote =
        addChildBlock("image_to_note", new AttentionLayer(d, spec.heads(), spec.dropout(), false));
    noteToImage =
        addChildBlock("note_to_image", new AttentionLayer(d, spec.heads(), spec.dropout(), false));
    jointHidden = addChildBlock("joint_hidden", linear(d));
    jointOut = addChildBlock("joint_out", linear(spec.findingCount()));
  }

  private static Linear linear(long units) {
    return Linear.builder().setUnits(units).build();
  }

  private static Parameter weight(String name, Shape shape) {
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape).build();
  }

  private static Parameter embedding(String name, Shape shape) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.WEIGHT)
        .optShape(shape)
        .optInitializer(new NormalInitializer(0.02f))
        .build();
  }

  /**
   * Sets the gate so that a case with both inputs weighs its heads by {@code weights[k]} (image,
   * note, joint; each row non-negative, summing to 1) for finding {@code k}: the gate's input
   * weights become 0 and its bias {@code log w} (a weight of 0 becomes {@code e^-30} of the rest).
   * A case with one input still uses the one head it has, with weight 1.
   *
   * @throws IllegalStateException for a variant without gate
   */
  public void setGateForBothInputs(double[][] weights) {
    if (gate == null) {
      throw new IllegalStateException("variant " + variant + " has no gate");
    }
    int f = spec.findingCount();
    float[] bias = new float[3 * f];
    for (int k = 0; k < f; k++) {
      for (int h = 0; h < 3; h++) {
        bias[k * 3 + h] = (float) Math.max(-30, Math.log(weights[k][h]));
      }
    }
    NDArray w = gate.getParameters().get("weight").getArray();
    w.set(new float[(int) w.size()]);
    gate.getParameters().get("bias").getArray().set(bias);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    Step step = new Step(ps, training, inputs);
    NDArray zeros = step.presence.getManager().zeros(new Shape(step.batch, spec.findingCount()));
    NDArray image = variant.imageHead() ? step.imageHead() : zeros;
    NDArray notes = variant.usesNote() ? step.notePath() : null;
    NDArray note = variant.noteHead() ? step.noteHead(notes) : zeros;
    NDArray joint = variant.jointHead() ? step.jointHead(notes) : zeros;
    NDArray heads = NDArrays.stack(new NDList(image, note, joint), -1);
    NDArray weights = step.gateWeights();
    return new NDList(heads.mul(weights).sum(new int[] {-1}), heads, weights);
  }

  /**
   * The image head's per-cell finding scores {@code (B, F, H, H)} over a feature map {@code (B, C,
   * H, H)}: its linear layer applied to each cell. With log-sum-exp pooling ({@code imagePooling >
   * 0}) these are the scores it pools (lesion supervision trains them directly); with mean pooling
   * the head is linear in the cells, so its logit is the mean of these scores and they are its
   * class activation map — what HiResCAM over the last map gives for the image head, up to the
   * factor {@code 1/H²} (CAM localisation, {@code docs/decisions/0022-cam-localisation-loss.md}).
   *
   * @throws IllegalStateException for a variant without image head
   */
  public NDArray imageScores(ParameterStore ps, NDArray map, boolean training) {
    if (imageHead == null) {
      throw new IllegalStateException("variant " + variant + " has no image head");
    }
    long b = map.getShape().get(0);
    NDArray cells = AttentionLayer.one(ps, imageHead, patchRows(map), training);
    return cells.transpose(0, 2, 1).reshape(b, spec.findingCount(), spec.mapRows(), spec.mapRows());
  }

  /** A feature map {@code (B, C, H, H)} as one row per patch, {@code (B, H², C)}. */
  private NDArray patchRows(NDArray map) {
    return map.reshape(map.getShape().get(0), spec.imageChannels(), spec.patches())
        .transpose(0, 2, 1);
  }

  /** One forward pass: its inputs and the helpers that read them. */
  private final class Step {
    final ParameterStore ps;
    final boolean training;
    final NDArray map;
    final NDArray pooled;
    final NDArray tokens;
    final NDArray presence;
    final NDArray imagePresent;
    final NDArray notePresent;
    final NDArray tokenMask;
    final long batch;

    Step(ParameterStore ps, boolean training, NDList in) {
      this.ps = ps;
      this.training = training;
      this.map = in.get(0);
      this.pooled = in.get(1);
      this.tokens = in.get(2);
      this.presence = in.get(4);
      this.batch = presence.getShape().get(0);
      this.imagePresent = presence.get(":, 0:1");
      this.notePresent = presence.get(":, 1:2");
      this.tokenMask = in.get(3).mul(notePresent);
    }

    NDArray value(Parameter p) {
      return ps.getValue(p, presence.getDevice(), training);
    }

    /**
     * Moves an array derived from a parameter to this batch's manager. DJL attaches an operation's
     * result to its first operand's manager, so without this a parameter-first expression (and
     * everything computed from it, with its autograd graph) would live in the model's manager until
     * the model is closed: the native memory growth of the first training runs.
     */
    NDArray local(NDArray derived) {
      derived.attach(presence.getManager());
      return derived;
    }

    NDArray apply(Block block, NDArray x) {
      return AttentionLayer.one(ps, block, x, training);
    }

    NDArray imageHead() {
      if (spec.imagePooling() == 0) {
        return apply(imageHead, pooled.mul(imagePresent));
      }
      NDArray cells = apply(imageHead, patchRows(map)); // (B, H², F)
      float r = spec.imagePooling();
      NDArray max = cells.max(new int[] {1}, true);
      NDArray pooledScores =
          cells.sub(max).mul(r).exp().mean(new int[] {1}).log().div(r).add(max.squeeze(1));
      return pooledScores.mul(imagePresent);
    }

    NDArray notePath() {
      NDArray x = apply(noteProjection, tokens);
      for (AttentionLayer layer : noteLayers) {
        x = layer.forward(ps, new NDList(x, x, tokenMask), training).singletonOrThrow();
      }
      return x;
    }

    /** Label-wise attention: one query per finding over the note tokens. */
    NDArray noteHead(NDArray notes) {
      NDArray scores =
          notes.matMul(local(value(noteQueries).transpose())).div(Math.sqrt(spec.width()));
      NDArray masked = scores.add(tokenMask.expandDims(2).sub(1f).mul(MASKED));
      NDArray pooledNotes = masked.softmax(1).transpose(0, 2, 1).matMul(notes);
      return pooledNotes.mul(value(noteReadout)).sum(new int[] {-1}).add(value(noteBias));
    }

    NDArray jointHead(NDArray notes) {
      long patches = spec.patches();
      NDArray image = apply(imageProjection, patchRows(map)).add(value(imagePositions));
      NDArray imageMask = imagePresent.broadcast(batch, patches);
      NDArray ones = presence.getManager().ones(new Shape(batch, 1));
      NDArray imageOut = attend(imageToNote, image, nullNote, notes, ones, tokenMask);
      NDArray noteOut = attend(noteToImage, notes, nullImage, image, ones, imageMask);
      NDArray both = meanOver(imageOut, imageMask).concat(meanOver(noteOut, tokenMask), -1);
      return apply(jointOut, Activation.gelu(apply(jointHidden, both)));
    }

    private NDArray attend(
        AttentionLayer layer,
        NDArray queries,
        Parameter nullToken,
        NDArray keys,
        NDArray ones,
        NDArray keyMask) {
      NDArray nul = local(value(nullToken).broadcast(batch, 1, spec.width()));
      NDArray context = nul.concat(keys, 1);
      NDArray mask = ones.concat(keyMask, 1);
      return layer.forward(ps, new NDList(queries, context, mask), training).singletonOrThrow();
    }

    private NDArray meanOver(NDArray x, NDArray mask) {
      NDArray sum = x.mul(mask.expandDims(2)).sum(new int[] {1});
      return sum.div(mask.sum(new int[] {1}, true).maximum(1f));
    }

    /** Softmax over the allowed heads, exactly 0 for the others. */
    NDArray gateWeights() {
      NDArray allowed = allowedHeads().expandDims(1);
      int f = spec.findingCount();
      NDArray logits =
          gate == null
              ? presence.getManager().zeros(new Shape(batch, f, 3))
              : apply(gate, presence).reshape(batch, f, 3);
      NDArray soft = logits.add(allowed.sub(1f).mul(MASKED)).softmax(-1).mul(allowed);
      return soft.div(soft.sum(new int[] {-1}, true).maximum(1e-12f));
    }

    private NDArray allowedHeads() {
      NDArray none = imagePresent.zerosLike();
      NDArray image = variant.imageHead() ? imagePresent : none;
      NDArray note = variant.noteHead() ? notePresent : none;
      NDArray either = imagePresent.maximum(notePresent);
      NDArray both = imagePresent.mul(notePresent);
      NDArray joint = variant.jointHead() ? (variant == FusionVariant.EARLY ? either : both) : none;
      return image.concat(note, 1).concat(joint, 1);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[4].get(0);
    int f = spec.findingCount();
    return new Shape[] {new Shape(b, f), new Shape(b, f, 3), new Shape(b, f, 3)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    int d = spec.width();
    Shape tokens = new Shape(1, 1, d);
    if (imageHead != null) {
      imageHead.initialize(manager, dataType, new Shape(1, spec.imageChannels()));
    }
    if (noteProjection != null) {
      noteProjection.initialize(manager, dataType, new Shape(1, 1, spec.textDimension()));
    }
    for (AttentionLayer layer : noteLayers) {
      layer.initialize(manager, dataType, tokens, tokens, new Shape(1, 1));
    }
    if (imageProjection != null) {
      imageProjection.initialize(manager, dataType, new Shape(1, 1, spec.imageChannels()));
      imageToNote.initialize(manager, dataType, tokens, tokens, new Shape(1, 1));
      noteToImage.initialize(manager, dataType, tokens, tokens, new Shape(1, 1));
      jointHidden.initialize(manager, dataType, new Shape(1, 2L * d));
      jointOut.initialize(manager, dataType, new Shape(1, d));
    }
    if (gate != null) {
      gate.initialize(manager, dataType, new Shape(1, 2));
    }
  }
}
