package org.tandemcds.model;

import java.util.List;
import java.util.Random;

/**
 * A batch of cases as flat float arrays, ready for the engine: images {@code (B, 1, S, S)} (zeros
 * for a case without image), tokens {@code (B, T, D)} padded to the longest note ({@code T ≥ 1}),
 * token mask {@code (B, T)}, presence {@code (B, 2)} and labels {@code (B, F)}.
 */
record CaseBatch(
    int size,
    int inputSize,
    int tokens,
    int dimension,
    float[] images,
    float[] features,
    float[] mask,
    float[] presence,
    float[] labels) {

  /** Packs cases with every modality they have; augments when {@code augmentation} is set. */
  static CaseBatch of(
      List<TrainingCase> cases,
      int inputSize,
      int dimension,
      Augmentation augmentation,
      Random rng) {
    return of(cases, null, inputSize, dimension, augmentation, rng);
  }

  /**
   * Packs cases; {@code hidden[i]} (when not null) is 1 to hide case i's image from the fusion
   * network, 2 to hide its note (modality dropout). A hidden image is still fed to the image
   * network, so BatchNorm statistics see real radiographs, but its presence bit is 0 and the fusion
   * network ignores it.
   */
  static CaseBatch of(
      List<TrainingCase> cases,
      int[] hidden,
      int inputSize,
      int dimension,
      Augmentation augmentation,
      Random rng) {
    int b = cases.size();
    int t = Math.max(1, cases.stream().mapToInt(TrainingCase::tokenCount).max().orElse(1));
    int f = cases.get(0).labels().length;
    int plane = inputSize * inputSize;
    CaseBatch batch =
        new CaseBatch(
            b,
            inputSize,
            t,
            dimension,
            new float[b * plane],
            new float[b * t * dimension],
            new float[b * t],
            new float[b * 2],
            new float[b * f]);
    for (int i = 0; i < b; i++) {
      batch.put(i, cases.get(i), hidden == null ? 0 : hidden[i], augmentation, rng);
    }
    return batch;
  }

  private void put(int i, TrainingCase c, int hide, Augmentation augmentation, Random rng) {
    int plane = inputSize * inputSize;
    if (c.hasImage()) {
      float[] pixels = c.imagePixels();
      float[] img =
          augmentation == null ? pixels : augmentation.apply(pixels, inputSize, c.content(), rng);
      System.arraycopy(img, 0, images, i * plane, plane);
      presence[2 * i] = hide == 1 ? 0 : 1;
    }
    if (c.hasNote() && hide != 2) {
      c.unpackTokens(features, i * tokens * dimension);
      java.util.Arrays.fill(mask, i * tokens, i * tokens + c.tokenCount(), 1f);
      presence[2 * i + 1] = 1;
    }
    System.arraycopy(c.labels(), 0, labels, i * c.labels().length, c.labels().length);
  }
}
