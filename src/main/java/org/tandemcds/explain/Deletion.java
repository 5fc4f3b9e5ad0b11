package org.tandemcds.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The deletion test (Petsiuk et al. 2018, "RISE"): pixels of the network input are replaced, in a
 * given order, by a {@link Reference} image, and the finding's probability is read after each
 * fraction removed; the area under that curve (trapezoid rule over the fraction) is lower when the
 * order puts the pixels the model relies on first. Only pixels inside the image's content box (not
 * the letterbox padding) are removed. Stateless.
 */
final class Deletion {
  /** Fractions of the content pixels removed at each point of the curve. */
  static final double[] FRACTIONS = {0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1};

  private static final int BLUR_RADIUS_SHARE = 20; // box radius = size / 20 (16 px at 320)

  private Deletion() {}

  /** What a removed pixel is replaced with (ADRs 0025, 0026). */
  enum Reference {
    /**
     * A blurred copy ({@link #blur}). It keeps the image's low frequencies, so an effusion's broad
     * opacity survives its removal.
     */
    BLURRED("blurred copy"),
    /**
     * The content's mean grey: removes the evidence of most findings, but the model reads a
     * featureless grey as an effusion.
     */
    MEAN("content mean grey"),
    /**
     * The same study rendered without its findings (generated sets only), letterboxed like the
     * study: only the pixels the findings changed differ.
     */
    WITHOUT_FINDINGS("study without findings");

    /** The reference of the bar's number (ADR 0026). */
    static final Reference BAR = WITHOUT_FINDINGS;

    final String label;

    Reference(String label) {
      this.label = label;
    }

    /** The name of its metrics: "deletion to the " + label. */
    String metric() {
      return "deletion to the " + label;
    }

    /**
     * The reference image for {@code image} ({@code size²}) whose content pixels are given; {@code
     * withoutFindings} is the study rendered without findings, letterboxed the same way (read only
     * by {@link #WITHOUT_FINDINGS}).
     */
    float[] of(float[] image, int size, int[] content, float[] withoutFindings) {
      if (this == BLURRED) {
        return blur(image, size);
      }
      if (this == WITHOUT_FINDINGS) {
        if (withoutFindings.length != image.length) {
          throw new IllegalArgumentException(
              "image without findings of " + withoutFindings.length + " pixels");
        }
        return withoutFindings;
      }
      double sum = 0;
      for (int i : content) {
        sum += image[i];
      }
      float[] out = new float[image.length];
      java.util.Arrays.fill(out, content.length == 0 ? 0f : (float) (sum / content.length));
      return out;
    }
  }

  /** Pixel indices of the content box {@code [row0, col0, row1, col1)} of a {@code size²} input. */
  static int[] content(int[] box, int size) {
    int[] out = new int[(box[2] - box[0]) * (box[3] - box[1])];
    int n = 0;
    for (int r = box[0]; r < box[2]; r++) {
      for (int c = box[1]; c < box[3]; c++) {
        out[n++] = r * size + c;
      }
    }
    return out;
  }

  /** The content pixels, most salient first; equal values in a random order. */
  static int[] bySaliency(float[] saliency, int[] content, Random random) {
    int[] shuffled = shuffled(content, random);
    Integer[] boxed = Arrays.stream(shuffled).boxed().toArray(Integer[]::new);
    Arrays.sort(boxed, Comparator.comparingDouble((Integer i) -> -saliency[i])); // stable
    return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
  }

  /** The content pixels in a random order. */
  static int[] shuffled(int[] content, Random random) {
    int[] out = content.clone();
    for (int i = out.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /** One image per fraction: the first {@code fraction · order.length} pixels replaced. */
  static List<float[]> deleted(float[] image, float[] blurred, int[] order, double[] fractions) {
    List<float[]> out = new ArrayList<>();
    for (double f : fractions) {
      float[] copy = image.clone();
      int n = (int) Math.round(f * order.length);
      for (int i = 0; i < n; i++) {
        copy[order[i]] = blurred[order[i]];
      }
      out.add(copy);
    }
    return out;
  }

  /** Area under the curve by the trapezoid rule. */
  static double auc(double[] x, double[] y) {
    double a = 0;
    for (int i = 1; i < x.length; i++) {
      a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
    }
    return a;
  }

  /** Two passes of a separable box blur (close to a Gaussian), edges held. */
  static float[] blur(float[] image, int size) {
    int radius = Math.max(1, size / BLUR_RADIUS_SHARE);
    float[] out = image;
    for (int pass = 0; pass < 2; pass++) {
      out = box(box(out, size, radius, true), size, radius, false);
    }
    return out;
  }

  private static float[] box(float[] in, int size, int radius, boolean alongRows) {
    float[] out = new float[in.length];
    for (int line = 0; line < size; line++) {
      for (int i = 0; i < size; i++) {
        double sum = 0;
        for (int d = -radius; d <= radius; d++) {
          int j = Math.max(0, Math.min(size - 1, i + d));
          sum += alongRows ? in[line * size + j] : in[j * size + line];
        }
        out[alongRows ? line * size + i : i * size + line] = (float) (sum / (2 * radius + 1));
      }
    }
    return out;
  }

  /** Spearman's rank correlation, ties given their average rank; NaN when a side is constant. */
  static double spearman(float[] a, float[] b) {
    double[] ra = ranks(a);
    double[] rb = ranks(b);
    double ma = Arrays.stream(ra).average().orElse(0);
    double mb = Arrays.stream(rb).average().orElse(0);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < ra.length; i++) {
      sab += (ra[i] - ma) * (rb[i] - mb);
      saa += (ra[i] - ma) * (ra[i] - ma);
      sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  static double[] ranks(float[] v) {
    Integer[] idx = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[idx[k]] = rank;
      }
      i = j + 1;
    }
    return r;
  }
}
