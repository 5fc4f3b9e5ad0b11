package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The whole trainable network of one case: the image network ({@link ImageNetwork}, absent for the
 * note-only variant) feeding the fusion network ({@link FusionNetwork}). Training runs this end to
 * end; inference runs the two parts in their own stages (encode, fuse), and the two are saved as
 * separate parameter files.
 *
 * <p>Inputs: images {@code (B, 1, S, S)} in [0, 1], note tokens {@code (B, T, 384)}, token mask
 * {@code (B, T)}, presence {@code (B, 2)}. Outputs: those of {@link FusionNetwork}; in training,
 * when the variant reads images, followed by the lesion logits {@code (B, F, h, h)} of a 1×1
 * convolution over the image feature map (lesion supervision, {@code
 * docs/decisions/0017-lesion-supervision-and-platt-calibration.md}). That convolution is used in
 * training only and is not saved with the model. When the image head pools per-cell scores ({@link
 * FusionSpec#imagePooling()} {@code > 0}) the lesion logits are those scores themselves, so the
 * cells that decide a finding are the ones taught where its lesion is. When the variant has an
 * image head, last come its per-cell scores {@code (B, F, h, h)} ({@link
 * FusionNetwork#imageScores}), which the CAM localisation loss reads.
 */
public final class CaseNetwork extends AbstractBlock {
  private final ImageNetworkSpec imageSpec;
  private final FusionSpec fusionSpec;
  private final Block image;
  private final FusionNetwork fusion;
  private final Block lesions;

  /** Index of the lesion logits in the training outputs. */
  static final int LESION_OUTPUT = 3;

  /** Index of the image head's per-cell scores (its class activation map) in training outputs. */
  static final int CAM_OUTPUT = 4;

  public CaseNetwork(ImageNetworkSpec imageSpec, FusionSpec fusionSpec) {
    this.imageSpec = imageSpec;
    this.fusionSpec = fusionSpec;
    this.image =
        fusionSpec.variant().usesImage()
            ? addChildBlock("image", ImageNetwork.build(imageSpec))
            : null;
    this.fusion = addChildBlock("fusion", new FusionNetwork(fusionSpec));
    this.lesions =
        image != null && fusionSpec.imagePooling() == 0
            ? addChildBlock(
                "lesions",
                Conv2d.builder()
                    .setKernelShape(new Shape(1, 1))
                    .setFilters(fusionSpec.findingCount())
                    .build())
            : null;
  }

  /** The image network, or null for a variant that reads no image. */
  public Block image() {
    return image;
  }

  public FusionNetwork fusion() {
    return fusion;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray images = inputs.get(0);
    NDList features =
        image != null
            ? image.forward(ps, new NDList(images), training)
            : zeroFeatures(images.getManager(), images.getShape().get(0));
    NDList out =
        fusion.forward(
            ps,
            new NDList(
                features.get(0), features.get(1), inputs.get(1), inputs.get(2), inputs.get(3)),
            training);
    if (training && image != null) {
      boolean head = fusionSpec.variant().imageHead();
      NDArray cells = head ? fusion.imageScores(ps, features.get(0), true) : null;
      if (lesions != null) {
        out.add(lesions.forward(ps, new NDList(features.get(0)), true).singletonOrThrow());
      } else if (head) {
        out.add(cells); // the pooled head's own cells are the lesion logits
      }
      if (head) {
        out.add(cells);
      }
    }
    return out;
  }

  private NDList zeroFeatures(NDManager manager, long batch) {
    int c = imageSpec.channels();
    int h = imageSpec.featureMapSize();
    return new NDList(manager.zeros(new Shape(batch, c, h, h)), manager.zeros(new Shape(batch, c)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return fusion.getOutputShapes(fusionShapes(inputShapes));
  }

  private Shape[] fusionShapes(Shape[] in) {
    long b = in[0].get(0);
    int c = imageSpec.channels();
    int h = imageSpec.featureMapSize();
    return new Shape[] {new Shape(b, c, h, h), new Shape(b, c), in[1], in[2], in[3]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    if (image != null) {
      image.initialize(manager, dataType, shapes[0]);
      if (lesions != null) {
        lesions.initialize(manager, dataType, fusionShapes(shapes)[0]);
      }
    }
    fusion.initialize(manager, dataType, fusionShapes(shapes));
  }

  /** Input shapes of the fusion network alone (feature map, pooled, tokens, mask, presence). */
  Shape[] fusionInputShapes(int batch, int tokens) {
    return fusionShapes(inputShapes(batch, tokens));
  }

  /** Input shapes of a batch of {@code batch} cases with {@code tokens} note tokens. */
  public Shape[] inputShapes(int batch, int tokens) {
    return new Shape[] {
      ImageNetwork.inputShape(imageSpec, batch),
      new Shape(batch, tokens, fusionSpec.textDimension()),
      new Shape(batch, tokens),
      new Shape(batch, 2)
    };
  }
}
