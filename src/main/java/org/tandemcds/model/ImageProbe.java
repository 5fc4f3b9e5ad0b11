package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;

/**
 * Runs the image network and the fusion network together over altered network inputs (occlusion
 * sensitivity, the deletion test) with the case's note held fixed: fused logits per input image.
 * Also randomises the image network's last stage for the model-randomisation sanity check.
 *
 * <p>Not thread-safe (inference on the two models' parameters, one NDManager per call).
 */
public final class ImageProbe {
  private static final int BATCH = 8;

  private final ImageModel image;
  private final FusionModel fusion;

  public ImageProbe(ImageModel image, FusionModel fusion) {
    this.image = image;
    this.fusion = fusion;
  }

  /** Side of the square network input. */
  public int inputSize() {
    return image.spec().inputSize();
  }

  /**
   * Fused logits ({@code images.size() × F}) of each letterboxed input image (each {@code S × S} in
   * [0, 1]) with the case's note tokens (all notes concatenated; ignored when {@code note} is
   * false).
   */
  public float[][] logits(List<float[]> images, float[] tokens, int tokenCount, boolean note) {
    int f = fusion.card().fusion().findingCount();
    float[][] out = new float[images.size()][];
    for (int from = 0; from < images.size(); from += BATCH) {
      List<float[]> part = images.subList(from, Math.min(images.size(), from + BATCH));
      float[] flat = run(part, tokens, tokenCount, note);
      for (int i = 0; i < part.size(); i++) {
        out[from + i] = java.util.Arrays.copyOfRange(flat, i * f, (i + 1) * f);
      }
    }
    return out;
  }

  private float[] run(List<float[]> images, float[] tokens, int tokenCount, boolean note) {
    int s = inputSize();
    int n = images.size();
    int dim = fusion.card().fusion().textDimension();
    int t = Math.max(1, tokenCount);
    float[] pixels = new float[n * s * s];
    float[] text = new float[n * t * dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(images.get(i), 0, pixels, i * s * s, s * s);
      if (note) {
        System.arraycopy(tokens, 0, text, i * t * dim, t * dim);
      }
    }
    float[] mask = new float[n * t];
    java.util.Arrays.fill(mask, note ? 1f : 0f);
    float[] presence = new float[n * 2];
    for (int i = 0; i < n; i++) {
      presence[2 * i] = 1f;
      presence[2 * i + 1] = note ? 1f : 0f;
    }
    try (NDManager manager = fusion.model().getNDManager().newSubManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray input = manager.create(pixels, new Shape(n, 1, s, s));
      NDList features = image.block().forward(ps, new NDList(input), false);
      NDList in =
          new NDList(
              features.get(0),
              features.get(1),
              manager.create(text, new Shape(n, t, dim)),
              manager.create(mask, new Shape(n, t)),
              manager.create(presence, new Shape(n, 2)));
      return fusion.network().forward(ps, in, false).get(0).toFloatArray();
    }
  }

  /**
   * Replaces, in place, every convolution weight of the image network's last residual stage (the
   * one whose output is the feature map) with He-normal random values, as in the cascading model
   * randomisation test of Adebayo et al. (2018). BatchNorm parameters and statistics are kept. Use
   * only on a model loaded for that test.
   */
  public static void randomiseLastStage(ImageModel model, long seed) {
    Block last = lastStage((SequentialBlock) model.block());
    Random random = new Random(seed);
    for (Pair<String, Parameter> p : last.getParameters()) {
      NDArray array = p.getValue().getArray();
      Shape shape = array.getShape();
      if (p.getValue().getType() != Parameter.Type.WEIGHT || shape.dimension() != 4) {
        continue;
      }
      long fanIn = shape.get(1) * shape.get(2) * shape.get(3);
      double std = Math.sqrt(2.0 / fanIn);
      float[] values = new float[(int) shape.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() * std);
      }
      array.set(FloatBuffer.wrap(values));
    }
  }

  /** The last residual stage: the child just before the map-and-pooled head. */
  private static Block lastStage(SequentialBlock net) {
    List<Block> children = net.getChildren().values();
    return children.get(children.size() - 2);
  }
}
