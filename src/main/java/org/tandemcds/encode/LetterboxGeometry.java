package org.tandemcds.encode;

import org.tandemcds.domain.Frame;

/**
 * Where a source frame sits inside the square network input after {@link Letterbox}: scaled by
 * {@code scale} (aspect kept) and shifted by {@code (offsetRow, offsetColumn)} input pixels.
 *
 * <p>Coordinates are continuous with pixel <em>edges</em> at integers, so pixel {@code i} spans
 * {@code [i, i+1)} and its centre is {@code i + 0.5}. Then {@code input = offset + scale · source}
 * exactly, on both axes, and {@link #inputToSource} is its exact inverse.
 *
 * @param sourceRows rows of the original frame
 * @param sourceColumns columns of the original frame
 * @param size side of the square network input
 * @param scale input pixels per source pixel: {@code size / max(sourceRows, sourceColumns)}
 * @param offsetRow rows of padding above the image (fractional in general)
 * @param offsetColumn columns of padding left of the image (fractional in general)
 */
public record LetterboxGeometry(
    int sourceRows,
    int sourceColumns,
    int size,
    double scale,
    double offsetRow,
    double offsetColumn) {

  /**
   * The input pixels the frame covers, {@code [row0, col0, row1, col1)}, widened to whole pixels
   * and clipped to the square.
   */
  public int[] contentBox() {
    int row0 = Math.max(0, (int) Math.floor(offsetRow));
    int col0 = Math.max(0, (int) Math.floor(offsetColumn));
    int row1 = (int) Math.min(size, Math.ceil(offsetRow + sourceRows * scale));
    int col1 = (int) Math.min(size, Math.ceil(offsetColumn + sourceColumns * scale));
    return new int[] {row0, col0, row1, col1};
  }

  /** The geometry that centres a {@code rows × columns} frame in a {@code size²} square. */
  public static LetterboxGeometry of(int rows, int columns, int size) {
    double scale = (double) size / Math.max(rows, columns);
    return new LetterboxGeometry(
        rows, columns, size, scale, (size - rows * scale) / 2, (size - columns * scale) / 2);
  }

  /** Source (row, column) in continuous coordinates to input coordinates. */
  public double[] sourceToInput(double row, double column) {
    return new double[] {offsetRow + scale * row, offsetColumn + scale * column};
  }

  /** Input (row, column) in continuous coordinates to source coordinates. */
  public double[] inputToSource(double row, double column) {
    return new double[] {(row - offsetRow) / scale, (column - offsetColumn) / scale};
  }

  /**
   * Resamples a map over the whole input square (any resolution, e.g. a 10×10 feature-map saliency
   * or a 320×320 one) onto the source frame's pixel grid: each source pixel centre is mapped into
   * the map's grid and sampled bilinearly (edge values held at the borders), the same convention as
   * PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}.
   *
   * @return a frame of {@code sourceRows × sourceColumns} (values are not clipped to [0, 1])
   */
  public Frame resampleToSource(Frame map) {
    double rowStep = (double) map.rows() / size;
    double columnStep = (double) map.columns() / size;
    float[] out = new float[sourceRows * sourceColumns];
    for (int r = 0; r < sourceRows; r++) {
      double u = (offsetRow + scale * (r + 0.5)) * rowStep - 0.5;
      for (int c = 0; c < sourceColumns; c++) {
        double v = (offsetColumn + scale * (c + 0.5)) * columnStep - 0.5;
        out[r * sourceColumns + c] = (float) bilinear(map, u, v);
      }
    }
    return new Frame(sourceRows, sourceColumns, out);
  }

  private static double bilinear(Frame map, double u, double v) {
    double uc = clamp(u, map.rows() - 1);
    double vc = clamp(v, map.columns() - 1);
    int r0 = (int) Math.floor(uc);
    int c0 = (int) Math.floor(vc);
    int r1 = Math.min(r0 + 1, map.rows() - 1);
    int c1 = Math.min(c0 + 1, map.columns() - 1);
    double fr = uc - r0;
    double fc = vc - c0;
    double top = map.at(r0, c0) * (1 - fc) + map.at(r0, c1) * fc;
    double bottom = map.at(r1, c0) * (1 - fc) + map.at(r1, c1) * fc;
    return top * (1 - fr) + bottom * fr;
  }

  private static double clamp(double x, int max) {
    return Math.max(0, Math.min(max, x));
  }
}
