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

  /** Packs cases; augments images with {@code augmentation} when it is not null. */
  static CaseBatch of(
      List<TrainingCase> cases,
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
      batch.put(i, cases.get(i), augmentation, rng);
    }
    return batch;
  }

  private void put(int i, TrainingCase c, Augmentation augmentation, Random rng) {
    int plane = inputSize * inputSize;
    if (c.hasImage()) {
      float[] pixels = c.imagePixels();
      float[] img =
          augmentation == null ? pixels : augmentation.apply(pixels, inputSize, c.content(), rng);
      System.arraycopy(img, 0, images, i * plane, plane);
      presence[2 * i] = 1;
    }
    if (c.hasNote()) {
      c.unpackTokens(features, i * tokens * dimension);
      java.util.Arrays.fill(mask, i * tokens, i * tokens + c.tokenCount(), 1f);
      presence[2 * i + 1] = 1;
    }
    System.arraycopy(c.labels(), 0, labels, i * c.labels().length, c.labels().length);
  }
}
