package org.tandemcds.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gradients of the fusion network's fused logits with respect to its <em>inputs</em>: the image
 * feature map (for Grad-CAM / HiResCAM on the last feature map) and the frozen note token
 * embeddings (for integrated gradients). The fusion network takes both as inputs, so neither the
 * image network nor the text transformer is run here.
 *
 * <p>The pooled image embedding the network also reads is computed from the map inside the graph
 * (its global average, exactly what the image network hands over), so the map's gradient includes
 * the path through the image head.
 *
 * <p>Thread-safety: DJL's PyTorch gradient collector is process-wide (only one may be open at a
 * time in a JVM), so every call here holds one process-wide lock; forward-only inference elsewhere
 * is unaffected. Parameters are only read (their gradient buffers do fill, and are never used).
 */
public final class FusionGradients {
  /** DJL allows one open PyTorch gradient collector per process. */
  private static final ReentrantLock COLLECTOR = new ReentrantLock();

  /** Cap on samples × tokens per batched pass, to bound memory on long notes. */
  private static final int TOKENS_PER_PASS = 8192;

  private final FusionModel model;

  public FusionGradients(FusionModel model) {
    this.model = model;
  }

  /**
   * The fusion network's inputs for one case.
   *
   * @param map {@code C × H × H} feature map (zeros when there is no image)
   * @param tokens {@code tokenCount × D} token embeddings, all notes concatenated
   * @param tokenCount number of tokens ({@code ≥ 1}; one zero token when there is no note)
   * @param image whether the image is present
   * @param note whether the note is present
   */
  public record Inputs(float[] map, float[] tokens, int tokenCount, boolean image, boolean note) {}

  /**
   * Fused logits and, per finding, the gradient of that finding's fused logit with respect to the
   * feature map.
   *
   * @param logits {@code F} fused logits (before temperature scaling)
   * @param gradients {@code F} arrays of {@code C × H × H}
   */
  public record MapGradients(float[] logits, float[][] gradients) {}

  /**
   * The activations of one residual stage of the image network for one input image, and per finding
   * the gradient of its fused logit with respect to them.
   *
   * @param activations {@code C × H × W} row-major
   * @param logits {@code F} fused logits
   * @param gradients {@code F} arrays laid out like {@code activations}
   */
  public record StageGradients(
      float[] activations,
      int channels,
      int rows,
      int columns,
      float[] logits,
      float[][] gradients) {
    public int plane() {
      return rows * columns;
    }
  }

  /**
   * Runs {@code image} on one letterboxed input and the fusion network on its feature map with
   * {@code in}'s note, and returns the activations of the residual stage {@code stagesBack} stages
   * before the last (0: the feature map itself) with every finding's fused-logit gradient. The
   * stages after it are differentiated through; nothing before it is. {@code in.map()} is not read:
   * the map comes from {@code image}.
   *
   * @param pixels {@code S × S} letterboxed input in [0, 1]
   */
  public StageGradients stageGradients(
      ImageModel image, float[] pixels, Inputs in, int stagesBack) {
    return stageGradients(image, pixels, in, List.of(stagesBack)).get(0);
  }

  /**
   * As {@link #stageGradients(ImageModel, float[], Inputs, int)} for several stages at once, in the
   * order asked, from one forward pass and one backward per stage: each asked stage's output is cut
   * from the graph as a leaf of its own, the fused logits are differentiated back to the last leaf,
   * and each earlier leaf gets its gradient through the chain rule (the backward of the segment's
   * output weighted by the next leaf's gradient).
   */
  public List<StageGradients> stageGradients(
      ImageModel image, float[] pixels, Inputs in, List<Integer> stagesBack) {
    FusionSpec s = model.card().fusion();
    int f = s.findingCount();
    List<Block> children = ((SequentialBlock) image.block()).getChildren().values();
    int head = children.size() - 1; // map-and-pooled: the fusion forward pools the map itself
    int stages = image.spec().stageWidths().size();
    List<Integer> splits = new java.util.ArrayList<>();
    for (int back : stagesBack) {
      if (back < 0 || back >= stages) {
        throw new IllegalArgumentException("no stage " + back + " before the last");
      }
      splits.add(head - 1 - back);
    }
    List<Integer> ordered = splits.stream().distinct().sorted().toList();
    int side = image.spec().inputSize();
    COLLECTOR.lock();
    try (NDManager manager = model.model().getNDManager().newSubManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      NDList x = new NDList(manager.create(pixels, new Shape(1, 1, side, side)));
      for (int i = 0; i <= ordered.get(0); i++) {
        x = children.get(i).forward(ps, x, false);
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        List<NDArray> leaves = new java.util.ArrayList<>();
        List<NDArray> outputs = new java.util.ArrayList<>();
        NDArray current = batchLeaf(manager, x.singletonOrThrow(), f);
        leaves.add(current);
        for (int seg = 0; seg < ordered.size(); seg++) {
          int to = seg + 1 < ordered.size() ? ordered.get(seg + 1) : head - 1;
          NDList y = new NDList(current);
          for (int i = ordered.get(seg) + 1; i <= to; i++) {
            y = children.get(i).forward(ps, y, false);
          }
          outputs.add(y.singletonOrThrow());
          current =
              seg + 1 < ordered.size()
                  ? batchLeaf(manager, y.singletonOrThrow(), 1)
                  : y.singletonOrThrow();
          if (seg + 1 < ordered.size()) {
            leaves.add(current);
          }
        }
        NDArray fused = forward(manager, s, current, repeatedTokens(manager, s, in, f), in, f);
        collector.backward(fused.mul(manager.eye(f)).sum());
        float[] logits = diagonal(fused.toFloatArray(), f);
        StageGradients[] byLeaf = new StageGradients[ordered.size()];
        NDArray gradient = leaves.get(ordered.size() - 1).getGradient().duplicate();
        byLeaf[ordered.size() - 1] = gradients(leaves.get(ordered.size() - 1), gradient, f, logits);
        for (int seg = ordered.size() - 2; seg >= 0; seg--) {
          collector.backward(outputs.get(seg).mul(gradient).sum());
          gradient = leaves.get(seg).getGradient().duplicate();
          byLeaf[seg] = gradients(leaves.get(seg), gradient, f, logits);
        }
        List<StageGradients> out = new java.util.ArrayList<>();
        for (int split : splits) {
          out.add(byLeaf[ordered.indexOf(split)]);
        }
        return out;
      }
    } finally {
      COLLECTOR.unlock();
    }
  }

  /**
   * A leaf of the graph holding {@code value} repeated to {@code f} samples ({@code f = 1}: the
   * value already has the batch), with gradient.
   */
  private static NDArray batchLeaf(NDManager manager, NDArray value, int f) {
    Shape shape = value.getShape();
    float[] values = value.toFloatArray();
    NDArray leaf =
        manager.create(
            repeat(values, f),
            new Shape(shape.get(0) * f, shape.get(1), shape.get(2), shape.get(3)));
    leaf.setRequiresGradient(true);
    return leaf;
  }

  /** One sample's activations and each finding's gradient from a batch-of-F leaf. */
  private static StageGradients gradients(NDArray leaf, NDArray gradient, int f, float[] logits) {
    Shape shape = leaf.getShape();
    int c = (int) shape.get(1);
    int rows = (int) shape.get(2);
    int columns = (int) shape.get(3);
    int plane = c * rows * columns;
    float[] all = gradient.toFloatArray();
    float[] activations = java.util.Arrays.copyOfRange(leaf.toFloatArray(), 0, plane);
    float[][] perFinding = new float[f][];
    for (int k = 0; k < f; k++) {
      perFinding[k] = java.util.Arrays.copyOfRange(all, k * plane, (k + 1) * plane);
    }
    return new StageGradients(activations, c, rows, columns, logits, perFinding);
  }

  /**
   * Integrated-gradients attributions of each finding's fused logit to each token (summed over the
   * embedding dimension), along the straight path from a baseline in which every token is the
   * case's mean token embedding (the token mask and everything else unchanged), by the midpoint
   * rule over {@code steps} points.
   *
   * <p>Why not all-zero embeddings: the note path starts with a linear projection and a LayerNorm,
   * and near zero input the LayerNorm sees an almost constant vector, so the path integrand has a
   * narrow spike next to the baseline that 16–64 quadrature points miss (completeness then failed
   * by about 12 % with 64 points on a tiny trained model). The mean embedding is an uninformative
   * token of the same scale (the "average" baseline of Sturmfels et al. 2020).
   *
   * @param scores {@code F} arrays of {@code tokenCount} signed attributions
   * @param logits fused logits at the input
   * @param baselineLogits fused logits at the baseline; completeness: {@code Σ scores[k] ≈
   *     logits[k] − baselineLogits[k]}
   */
  public record TokenAttributions(float[][] scores, float[] logits, float[] baselineLogits) {}

  /** Number of findings the network scores. */
  public int findingCount() {
    return model.card().fusion().findingCount();
  }

  /** The gradient of every finding's fused logit with respect to the feature map (one pass). */
  public MapGradients mapGradients(Inputs in) {
    FusionSpec s = model.card().fusion();
    int f = s.findingCount();
    int plane = s.imageChannels() * s.mapRows() * s.mapRows();
    COLLECTOR.lock();
    try (NDManager manager = model.model().getNDManager().newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray map = manager.create(repeat(in.map(), f), mapShape(s, f));
      map.setRequiresGradient(true);
      NDArray fused = forward(manager, s, map, repeatedTokens(manager, s, in, f), in, f);
      collector.backward(fused.mul(manager.eye(f)).sum());
      float[] all = map.getGradient().toFloatArray();
      float[] logits = diagonal(fused.toFloatArray(), f);
      float[][] gradients = new float[f][];
      for (int k = 0; k < f; k++) {
        gradients[k] = java.util.Arrays.copyOfRange(all, k * plane, (k + 1) * plane);
      }
      return new MapGradients(logits, gradients);
    } finally {
      COLLECTOR.unlock();
    }
  }

  /** Integrated gradients over the token embeddings for every finding (see the record). */
  public TokenAttributions integratedGradients(Inputs in, int steps) {
    FusionSpec s = model.card().fusion();
    int f = s.findingCount();
    int t = in.tokenCount();
    int dim = s.textDimension();
    int samples = steps * f;
    int perPass = Math.max(f, Math.min(samples, TOKENS_PER_PASS / Math.max(1, t) / f * f));
    double[][] sum = new double[f][t * dim];
    float[] base = baseline(in.tokens(), t, dim);
    COLLECTOR.lock();
    try {
      for (int from = 0; from < samples; from += perPass) {
        accumulate(in, base, s, steps, from, Math.min(samples, from + perPass), sum);
      }
    } finally {
      COLLECTOR.unlock();
    }
    float[][] scores = new float[f][t];
    for (int k = 0; k < f; k++) {
      for (int i = 0; i < t; i++) {
        double a = 0;
        for (int d = 0; d < dim; d++) {
          a += (in.tokens()[i * dim + d] - base[i * dim + d]) * sum[k][i * dim + d];
        }
        scores[k][i] = (float) (a / steps);
      }
    }
    Inputs baseline = new Inputs(in.map(), base, t, in.image(), in.note());
    return new TokenAttributions(scores, logits(in), logits(baseline));
  }

  /**
   * Samples {@code [from, to)} of the path: sample {@code j} is step {@code j / F} (scale {@code
   * (step + 0.5) / steps}) for finding {@code j % F}; adds each sample's token gradient into {@code
   * sum[finding]}.
   */
  private void accumulate(
      Inputs in, float[] base, FusionSpec s, int steps, int from, int to, double[][] sum) {
    int f = s.findingCount();
    int n = to - from;
    int t = in.tokenCount();
    int dim = s.textDimension();
    float[] scaled = new float[n * t * dim];
    float[] select = new float[n * f];
    for (int j = 0; j < n; j++) {
      int sample = from + j;
      float alpha = (float) ((sample / f + 0.5) / steps);
      for (int i = 0; i < t * dim; i++) {
        scaled[j * t * dim + i] = base[i] + alpha * (in.tokens()[i] - base[i]);
      }
      select[j * f + sample % f] = 1f;
    }
    try (NDManager manager = model.model().getNDManager().newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray tokens = manager.create(scaled, new Shape(n, t, dim));
      tokens.setRequiresGradient(true);
      NDArray map = manager.create(repeat(in.map(), n), mapShape(s, n));
      NDArray fused = forward(manager, s, map, tokens, in, n);
      collector.backward(fused.mul(manager.create(select, new Shape(n, f))).sum());
      float[] grad = tokens.getGradient().toFloatArray();
      for (int j = 0; j < n; j++) {
        double[] target = sum[(from + j) % f];
        for (int i = 0; i < t * dim; i++) {
          target[i] += grad[j * t * dim + i];
        }
      }
    }
  }

  /** Every token replaced by the mean token embedding. */
  static float[] baseline(float[] tokens, int t, int dim) {
    double[] mean = new double[dim];
    for (int i = 0; i < t; i++) {
      for (int d = 0; d < dim; d++) {
        mean[d] += tokens[i * dim + d];
      }
    }
    float[] out = new float[t * dim];
    for (int i = 0; i < t; i++) {
      for (int d = 0; d < dim; d++) {
        out[i * dim + d] = (float) (mean[d] / t);
      }
    }
    return out;
  }

  /** Fused logits of one case (forward only). */
  public float[] logits(Inputs in) {
    FusionSpec s = model.card().fusion();
    try (NDManager manager = model.model().getNDManager().newSubManager()) {
      NDArray map = manager.create(in.map(), mapShape(s, 1));
      return forward(manager, s, map, repeatedTokens(manager, s, in, 1), in, 1).toFloatArray();
    }
  }

  /**
   * Fused logits of one case with the tokens flagged in {@code removed} masked out of the note
   * (occlusion of note words); with every token removed the note counts as absent.
   */
  public float[] logitsWithout(Inputs in, boolean[] removed) {
    FusionSpec s = model.card().fusion();
    float[] mask = new float[in.tokenCount()];
    boolean any = false;
    for (int i = 0; i < mask.length; i++) {
      mask[i] = in.note() && !removed[i] ? 1f : 0f;
      any |= mask[i] > 0;
    }
    Inputs kept = new Inputs(in.map(), in.tokens(), in.tokenCount(), in.image(), any);
    try (NDManager manager = model.model().getNDManager().newSubManager()) {
      NDArray map = manager.create(in.map(), mapShape(s, 1));
      return forward(manager, s, map, repeatedTokens(manager, s, in, 1), kept, 1, mask)
          .toFloatArray();
    }
  }

  private NDArray forward(
      NDManager manager, FusionSpec s, NDArray map, NDArray tokens, Inputs in, int batch) {
    float[] mask = new float[batch * in.tokenCount()];
    java.util.Arrays.fill(mask, in.note() ? 1f : 0f);
    return forward(manager, s, map, tokens, in, batch, mask);
  }

  private NDArray forward(
      NDManager manager,
      FusionSpec s,
      NDArray map,
      NDArray tokens,
      Inputs in,
      int batch,
      float[] mask) {
    int t = in.tokenCount();
    float[] presence = new float[batch * 2];
    for (int b = 0; b < batch; b++) {
      presence[2 * b] = in.image() ? 1f : 0f;
      presence[2 * b + 1] = in.note() ? 1f : 0f;
    }
    NDList inputs =
        new NDList(
            map,
            map.reshape(batch, s.imageChannels(), (long) s.mapRows() * s.mapRows())
                .mean(new int[] {2}),
            tokens,
            manager.create(mask, new Shape(batch, t)),
            manager.create(presence, new Shape(batch, 2)));
    return model.network().forward(new ParameterStore(manager, false), inputs, false).get(0);
  }

  private static NDArray repeatedTokens(NDManager manager, FusionSpec s, Inputs in, int n) {
    return manager.create(repeat(in.tokens(), n), new Shape(n, in.tokenCount(), s.textDimension()));
  }

  private static Shape mapShape(FusionSpec s, int batch) {
    return new Shape(batch, s.imageChannels(), s.mapRows(), s.mapRows());
  }

  private static float[] repeat(float[] values, int times) {
    float[] out = new float[values.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(values, 0, out, i * values.length, values.length);
    }
    return out;
  }

  private static float[] diagonal(float[] square, int f) {
    float[] out = new float[f];
    for (int k = 0; k < f; k++) {
      out[k] = square[k * f + k];
    }
    return out;
  }
}
