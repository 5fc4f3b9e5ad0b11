package org.tandemcds.model;

import java.util.List;
import java.util.Random;

/**
 * A batch of cases as flat float arrays, ready for the engine: images {@code (B, 1, S, S)} (zeros
 * for a case without image), tokens {@code (B, T, D)} padded to the longest note ({@code T ≥ 1}),
 * token mask {@code (B, T)}, presence {@code (B, 2)} and labels {@code (B, F)}; with a lesion grid
 * {@code G > 0}, lesion targets {@code (B, F, G, G)} (the share of each feature-map cell the
 * finding's lesion covers, after the same augmentation as the image) and their weights {@code (B,
 * F)} (1 where the map is known, 0 where it is not); per token {@code (B, T)} the bits of the
 * findings a mention it lies in speaks against ({@link TrainingCase#negations}; 0 where the note is
 * hidden).
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
    float[] labels,
    int lesionGrid,
    float[] lesionTargets,
    float[] lesionWeights,
    byte[] negations) {

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
    return of(cases, hidden, inputSize, dimension, 0, augmentation, rng);
  }

  /** As above, with lesion targets on a {@code lesionGrid × lesionGrid} map (0: none). */
  static CaseBatch of(
      List<TrainingCase> cases,
      int[] hidden,
      int inputSize,
      int dimension,
      int lesionGrid,
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
            new float[b * f],
            lesionGrid,
            new float[b * f * lesionGrid * lesionGrid],
            new float[b * f],
            new byte[b * t]);
    for (int i = 0; i < b; i++) {
      batch.put(i, cases.get(i), hidden == null ? 0 : hidden[i], augmentation, rng);
    }
    return batch;
  }

  private void put(int i, TrainingCase c, int hide, Augmentation augmentation, Random rng) {
    int plane = inputSize * inputSize;
    if (c.hasImage()) {
      float[][] lesions = lesionGrid > 0 ? lesionMaps(c) : new float[0][];
      float[][] augmented =
          augmentation == null
              ? prepend(c.imagePixels(), lesions)
              : augmentation.apply(c.imagePixels(), inputSize, c.content(), lesions, rng);
      System.arraycopy(augmented[0], 0, images, i * plane, plane);
      presence[2 * i] = hide == 1 ? 0 : 1;
      for (int k = 1; k < augmented.length; k++) {
        if (augmented[k] != null) {
          putLesion(i, k - 1, augmented[k], c.inputSize());
        } else if (c.lesions()[k - 1] != null) {
          lesionWeights[i * labels.length / size + k - 1] = 1; // known absent: all cells 0
        }
      }
    }
    if (c.hasNote() && hide != 2) {
      c.unpackTokens(features, i * tokens * dimension);
      java.util.Arrays.fill(mask, i * tokens, i * tokens + c.tokenCount(), 1f);
      System.arraycopy(c.negations(), 0, negations, i * tokens, c.negations().length);
      presence[2 * i + 1] = 1;
    }
    System.arraycopy(c.labels(), 0, labels, i * c.labels().length, c.labels().length);
  }

  /**
   * The case's lesion maps as coverage in [0, 1]; null where the map is unknown or empty (no need
   * to warp zeros); no entries when the case has no localisation.
   */
  private float[][] lesionMaps(TrainingCase c) {
    if (c.lesions() == null) {
      return new float[0][];
    }
    float[][] maps = new float[c.lesions().length][];
    for (int k = 0; k < maps.length; k++) {
      byte[] map = c.lesions()[k];
      if (map != null && map.length > 0) {
        maps[k] = new float[map.length];
        for (int p = 0; p < map.length; p++) {
          maps[k][p] = (map[p] & 0xff) / 255f;
        }
      }
    }
    return maps;
  }

  private static float[][] prepend(float[] image, float[][] lesions) {
    float[][] out = new float[1 + lesions.length][];
    out[0] = image;
    System.arraycopy(lesions, 0, out, 1, lesions.length);
    return out;
  }

  /**
   * Lesion targets for finding {@code k} of case {@code i}: per cell of the {@code g × g} feature
   * map, the share of the cell's window the lesion covers. A cell's window is the {@code s × s}
   * square of input pixels ({@code s = side / g}) centred on its receptive field, input coordinate
   * {@code s·i + 0.5} (the placement {@code explain/Maps} draws the maps with, ADR 0019), not the
   * pyramid block {@code [s·i, s·(i+1))}, which lies half a cell down and right of what the cell
   * sees; windows are clipped at the input's edges. {@code side} is the side of the case's encoded
   * image and of its lesion maps (the network's input size; also when the batch carries cached
   * features instead of images).
   */
  private void putLesion(int i, int k, float[] map, int side) {
    int f = labels.length / size;
    int g = lesionGrid;
    int base = (i * f + k) * g * g;
    double s = (double) side / g;
    for (int gr = 0; gr < g; gr++) {
      int r0 = window(gr - 0.5, s, side);
      int r1 = window(gr + 0.5, s, side);
      for (int gc = 0; gc < g; gc++) {
        int c0 = window(gc - 0.5, s, side);
        int c1 = window(gc + 0.5, s, side);
        double sum = 0;
        for (int r = r0; r < r1; r++) {
          for (int c = c0; c < c1; c++) {
            sum += map[r * side + c];
          }
        }
        lesionTargets[base + gr * g + gc] = (float) (sum / Math.max(1, (r1 - r0) * (c1 - c0)));
      }
    }
    lesionWeights[i * f + k] = 1;
  }

  /** The input pixel at which a cell window's edge {@code e} (in cells) lies, clipped. */
  private static int window(double e, double s, int side) {
    return (int) Math.max(0, Math.min(side, Math.round(e * s)));
  }
}
