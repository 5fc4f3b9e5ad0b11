package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * One frozen image network's outputs (feature map and pooled embedding, inference mode, no
 * augmentation) per image, computed once: stage (b) of the two-stage recipe trains the fusion
 * network on them, and evaluation scores several models that share the image network (and the
 * note-removed view of each case) without running it again. Keyed by the identity of the case's
 * image array, which {@link TrainingCase#withoutNote()} keeps.
 *
 * <p>Holds {@code C·(h² + 1)} floats per image (25 856 for the standard 320² network, ~100 kB). Use
 * one cache per image network only. Not thread-safe.
 */
public final class ImageFeatureCache {
  private final Map<short[], float[]> maps = new IdentityHashMap<>();
  private final Map<short[], float[]> pooled = new IdentityHashMap<>();

  /** An empty cache. */
  public ImageFeatureCache() {}

  static ImageFeatureCache compute(
      CaseModel model, List<TrainingCase> train, List<TrainingCase> validation, int batchSize) {
    ImageFeatureCache cache = new ImageFeatureCache();
    List<TrainingCase> both = new ArrayList<>(train);
    both.addAll(validation);
    cache.add(model, both, batchSize);
    return cache;
  }

  /** Runs {@code model}'s image network over the images of {@code cases} not cached yet. */
  void add(CaseModel model, List<TrainingCase> cases, int batchSize) {
    ImageFeatureCache cache = this;
    List<TrainingCase> all = new ArrayList<>();
    java.util.Set<short[]> queued = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (TrainingCase c : cases) {
      if (c.hasImage() && !maps.containsKey(c.image()) && queued.add(c.image())) {
        all.add(c);
      }
    }
    int size = model.imageSpec().inputSize();
    int plane = size * size;
    for (int from = 0; from < all.size(); from += batchSize) {
      List<TrainingCase> part = all.subList(from, Math.min(all.size(), from + batchSize));
      float[] images = new float[part.size() * plane];
      for (int i = 0; i < part.size(); i++) {
        System.arraycopy(part.get(i).imagePixels(), 0, images, i * plane, plane);
      }
      try (NDManager manager = model.model().getNDManager().newSubManager()) {
        NDArray x = manager.create(images, new Shape(part.size(), 1, size, size));
        NDList out =
            model
                .network()
                .image()
                .forward(new ParameterStore(manager, false), new NDList(x), false);
        float[] map = out.get(0).toFloatArray();
        float[] pool = out.get(1).toFloatArray();
        int m = map.length / part.size();
        int p = pool.length / part.size();
        for (int i = 0; i < part.size(); i++) {
          short[] key = part.get(i).image();
          cache.maps.put(key, java.util.Arrays.copyOfRange(map, i * m, (i + 1) * m));
          cache.pooled.put(key, java.util.Arrays.copyOfRange(pool, i * p, (i + 1) * p));
        }
      }
    }
  }

  /**
   * The fusion network's inputs for a batch: cached map and pooled embedding (zeros for a case
   * without image), then the batch's tokens, mask and presence.
   */
  NDList inputs(NDManager manager, CaseBatch b, List<TrainingCase> cases, ImageNetworkSpec spec) {
    int c = spec.channels();
    int h = spec.featureMapSize();
    int m = c * h * h;
    float[] map = new float[b.size() * m];
    float[] pool = new float[b.size() * c];
    for (int i = 0; i < cases.size(); i++) {
      if (!cases.get(i).hasImage()) {
        continue;
      }
      float[] cm = maps.get(cases.get(i).image());
      if (cm == null) {
        throw new CdsException(ErrorCode.INTERNAL, "image features of " + cases.get(i).id());
      }
      System.arraycopy(cm, 0, map, i * m, m);
      System.arraycopy(pooled.get(cases.get(i).image()), 0, pool, i * c, c);
    }
    return new NDList(
        manager.create(map, new Shape(b.size(), c, h, h)),
        manager.create(pool, new Shape(b.size(), c)),
        manager.create(b.features(), new Shape(b.size(), b.tokens(), b.dimension())),
        manager.create(b.mask(), new Shape(b.size(), b.tokens())),
        manager.create(b.presence(), new Shape(b.size(), 2)));
  }

  /** Fusion outputs over cases in inference mode, from the cached features. */
  CaseModel.Outputs run(CaseModel model, List<TrainingCase> cases, int batchSize) {
    int f = model.fusionSpec().findingCount();
    float[] fused = new float[cases.size() * f];
    float[] heads = new float[cases.size() * f * 3];
    for (int from = 0; from < cases.size(); from += batchSize) {
      List<TrainingCase> part = cases.subList(from, Math.min(cases.size(), from + batchSize));
      CaseBatch batch = CaseBatch.of(part, 0, model.fusionSpec().textDimension(), null, null);
      try (NDManager manager = model.model().getNDManager().newSubManager()) {
        NDList out =
            model
                .network()
                .fusion()
                .forward(
                    new ParameterStore(manager, false),
                    inputs(manager, batch, part, model.imageSpec()),
                    false);
        System.arraycopy(out.get(0).toFloatArray(), 0, fused, from * f, part.size() * f);
        System.arraycopy(out.get(1).toFloatArray(), 0, heads, from * f * 3, part.size() * f * 3);
      }
    }
    return new CaseModel.Outputs(cases.size(), f, fused, heads);
  }
}
