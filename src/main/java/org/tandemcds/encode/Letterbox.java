package org.tandemcds.encode;

import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Frame;

/**
 * Fits a frame of any size into a {@code size × size} square, aspect ratio kept, centred, padded
 * with 0 (black). Resampling is exact area averaging (a box filter over the continuous coordinates
 * of {@link LetterboxGeometry}): each input pixel is the mean of the source area it covers, with
 * padding counting as 0 where it covers both. It does not alias when shrinking a 3000-pixel
 * radiograph to 320, and it preserves the mean brightness of the image content.
 *
 * <p>Immutable and thread-safe.
 */
public final class Letterbox {
  private final int size;

  public Letterbox(int size) {
    if (size <= 0) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "letterbox size " + size);
    }
    this.size = size;
  }

  /** The letterboxed frame and its geometry. */
  public LetterboxedImage apply(Frame frame) {
    LetterboxGeometry g = LetterboxGeometry.of(frame.rows(), frame.columns(), size);
    AxisWeights rows = AxisWeights.of(frame.rows(), size, g.scale(), g.offsetRow());
    AxisWeights columns = AxisWeights.of(frame.columns(), size, g.scale(), g.offsetColumn());
    float[] byRows = rows.alongRows(frame.pixels(), frame.columns());
    float[] out = columns.alongColumns(byRows, size);
    return new LetterboxedImage(new Frame(size, size, out), g);
  }

  /** For each output index, the source indices it overlaps and the overlap fractions. */
  private record AxisWeights(int[] first, double[][] weights) {

    static AxisWeights of(int sourceLength, int size, double scale, double offset) {
      int[] first = new int[size];
      double[][] weights = new double[size][];
      for (int i = 0; i < size; i++) {
        double lo = (i - offset) / scale;
        double hi = (i + 1 - offset) / scale;
        int from = Math.max(0, (int) Math.floor(lo));
        int to = Math.min(sourceLength, (int) Math.ceil(hi));
        first[i] = from;
        weights[i] = new double[Math.max(0, to - from)];
        for (int j = from; j < to; j++) {
          weights[i][j - from] = Math.max(0, Math.min(hi, j + 1) - Math.max(lo, j)) * scale;
        }
      }
      return new AxisWeights(first, weights);
    }

    /** Resamples the rows of a {@code ? × columns} image: result is {@code size × columns}. */
    float[] alongRows(float[] pixels, int columns) {
      float[] out = new float[first.length * columns];
      for (int i = 0; i < first.length; i++) {
        for (int k = 0; k < weights[i].length; k++) {
          int src = (first[i] + k) * columns;
          float w = (float) weights[i][k];
          for (int c = 0; c < columns; c++) {
            out[i * columns + c] += w * pixels[src + c];
          }
        }
      }
      return out;
    }

    /** Resamples the columns of a {@code rows × ?} image: result is {@code rows × size}. */
    float[] alongColumns(float[] pixels, int rows) {
      int sourceColumns = pixels.length / rows;
      float[] out = new float[rows * first.length];
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < first.length; i++) {
          double sum = 0;
          for (int k = 0; k < weights[i].length; k++) {
            sum += weights[i][k] * pixels[r * sourceColumns + first[i] + k];
          }
          out[r * first.length + i] = (float) sum;
        }
      }
      return out;
    }
  }
}
