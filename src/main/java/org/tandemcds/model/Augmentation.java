package org.tandemcds.model;

import java.util.Random;

/**
 * Training-time augmentation of a letterboxed radiograph (values in [0, 1], 0 black, the
 * MONOCHROME2 display convention the parse stage normalises every image to).
 *
 * <p>Photometric changes act inside the image's content box only, so the letterbox padding stays
 * black as at inference: exposure/gamma {@code v^γ}, {@code ln γ ~ U(±0.25)}; contrast {@code c ~
 * U(0.85, 1.15)} about the content mean; Gaussian noise {@code σ ~ U(0, 0.02)}; and, with
 * probability {@link #invertProbability}, photometric inversion {@code 1 − v} (see {@code
 * docs/decisions/0005-hybrid-fusion.md} for why). Then one geometric warp, bilinear, out-of-image
 * samples 0: rotation {@code U(±5°)}, zoom {@code U(1, 1.15)} about the centre (a random crop
 * resized back to the full square) and shift {@code U(±4 %)} of the side on each axis.
 *
 * <p>Deterministic for a given {@link Random}; stateless otherwise.
 */
public final class Augmentation {
  private final float invertProbability;

  public Augmentation(float invertProbability) {
    this.invertProbability = invertProbability;
  }

  /** An augmented copy of {@code image} ({@code size × size}). */
  public float[] apply(float[] image, int size, int[] content, Random rng) {
    return apply(image, size, content, new float[0][], rng)[0];
  }

  /**
   * An augmented copy of {@code image} ({@code size × size}) followed by the {@code lesions} maps
   * (each {@code size × size}, null entries staying null) moved by the same geometric warp, so a
   * lesion stays where the image shows it; photometric changes touch the image only.
   */
  public float[][] apply(float[] image, int size, int[] content, float[][] lesions, Random rng) {
    float[] out = image.clone();
    int[] box = {
      clamp(content[0], size),
      clamp(content[1], size),
      clamp(content[2], size),
      clamp(content[3], size)
    };
    photometric(out, size, box, rng);
    Warp warp = Warp.draw(size, rng);
    float[][] result = new float[1 + lesions.length][];
    result[0] = warp.apply(out, size);
    for (int k = 0; k < lesions.length; k++) {
      result[k + 1] = lesions[k] == null ? null : warp.apply(lesions[k], size);
    }
    return result;
  }

  private static int clamp(int v, int size) {
    return Math.max(0, Math.min(size, v));
  }

  private void photometric(float[] img, int size, int[] box, Random rng) {
    double gamma = Math.exp((rng.nextDouble() * 2 - 1) * 0.25);
    double contrast = 0.85 + 0.3 * rng.nextDouble();
    double sigma = 0.02 * rng.nextDouble();
    boolean invert = rng.nextDouble() < invertProbability;
    double mean = contentMean(img, size, box);
    for (int r = box[0]; r < box[2]; r++) {
      for (int c = box[1]; c < box[3]; c++) {
        int i = r * size + c;
        double v = Math.pow(Math.max(0, img[i]), gamma);
        v = mean + contrast * (v - mean) + sigma * rng.nextGaussian();
        v = Math.max(0, Math.min(1, v));
        img[i] = (float) (invert ? 1 - v : v);
      }
    }
  }

  private static double contentMean(float[] img, int size, int[] box) {
    double sum = 0;
    long n = 0;
    for (int r = box[0]; r < box[2]; r++) {
      for (int c = box[1]; c < box[3]; c++) {
        sum += img[r * size + c];
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /** One geometric warp: rotation, zoom about the centre and shift, drawn once per image. */
  private record Warp(double cos, double sin, double shiftR, double shiftC) {
    static Warp draw(int size, Random rng) {
      double angle = Math.toRadians((rng.nextDouble() * 2 - 1) * 5);
      double zoom = 1 + 0.15 * rng.nextDouble();
      double shiftR = (rng.nextDouble() * 2 - 1) * 0.04 * size;
      double shiftC = (rng.nextDouble() * 2 - 1) * 0.04 * size;
      return new Warp(Math.cos(angle) / zoom, Math.sin(angle) / zoom, shiftR, shiftC);
    }

    float[] apply(float[] img, int size) {
      double centre = (size - 1) / 2.0;
      float[] out = new float[img.length];
      for (int r = 0; r < size; r++) {
        for (int c = 0; c < size; c++) {
          double y = r - centre - shiftR;
          double x = c - centre - shiftC;
          double sr = centre + cos * y - sin * x;
          double sc = centre + sin * y + cos * x;
          out[r * size + c] = bilinear(img, size, sr, sc);
        }
      }
      return out;
    }
  }

  /** Bilinear sample at pixel-centre coordinates; outside the square counts as 0. */
  static float bilinear(float[] img, int size, double r, double c) {
    int r0 = (int) Math.floor(r);
    int c0 = (int) Math.floor(c);
    double fr = r - r0;
    double fc = c - c0;
    return (float)
        ((1 - fr) * ((1 - fc) * at(img, size, r0, c0) + fc * at(img, size, r0, c0 + 1))
            + fr * ((1 - fc) * at(img, size, r0 + 1, c0) + fc * at(img, size, r0 + 1, c0 + 1)));
  }

  private static float at(float[] img, int size, int r, int c) {
    return r < 0 || c < 0 || r >= size || c >= size ? 0f : img[r * size + c];
  }
}
