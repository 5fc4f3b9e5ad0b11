package org.tandemcds.explain;

import org.tandemcds.encode.LetterboxGeometry;

/**
 * Resampling of maps that cover the network's whole square input: onto a compact grid over the
 * original frame (letterbox undone), or onto a finer square (the input itself, or a finer stage's
 * map). Bicubic (Keys' cubic convolution, a = −0.5) by default, bilinear selectable; edges held.
 *
 * <p>Why bicubic ({@code docs/decisions/0023-joint-head-cam-localisation.md}): a bilinear
 * interpolant never exceeds its samples, so the peak of a resampled map always sits exactly on one
 * of the coarse map's cell centres — for the last feature map, one of 36 points about 180 source
 * pixels apart, whatever the neighbouring cells say. A cubic interpolant's peak moves between two
 * strong neighbours, towards the stronger, which is where the evidence of a lesion lying between
 * two cell centres is.
 *
 * <p>Where a cell sits: cell {@code i} of a map with {@code s} input pixels per cell is centred at
 * continuous input coordinate {@code s·i + 0.5} (pixel {@code p} spans {@code [p, p+1)}), the
 * centre of its receptive field in a network that downsamples with stride-2 3×3 convolutions padded
 * by 1 (and stride-2 1×1 shortcuts), as Tandem's image network does: output {@code i} of such a
 * layer reads inputs {@code 2i−1 … 2i+1}. Not {@code s·(i + 0.5)}, the centre of the block of
 * pixels the cell would cover in an image pyramid (PyTorch {@code align_corners = False}): that
 * places every map half a cell (16 input pixels at the last stage) down and right of what the cell
 * sees ({@code ADR 0019}, measured in {@code MapsTest} on the real network).
 */
final class Maps {
  private Maps() {}

  /** Where the cells of a map over the input square sit. */
  enum Placement {
    /** Cell {@code i} at {@code s·i + 0.5}: a network's feature map (see the class comment). */
    RECEPTIVE_FIELD,
    /** Cell {@code i} at {@code s·(i + 0.5)}: the map of {@code s × s} blocks, e.g. occlusion. */
    BLOCKS;

    double cell(double y, double step) {
      return this == RECEPTIVE_FIELD ? (y - 0.5) * step : y * step - 0.5;
    }
  }

  /**
   * Samples a {@code side × side} map over the input square at the centres of a {@code gridRows ×
   * gridColumns} grid laid over the original frame: cell {@code (r, c)} covers source rows {@code
   * [r·R/gridRows, (r+1)·R/gridRows)}; its centre goes through {@code geometry} into the input, and
   * from there to map coordinates by the receptive-field convention above.
   */
  static float[] toSourceGrid(
      float[] map,
      int side,
      MapInterpolation interpolation,
      Placement placement,
      LetterboxGeometry geometry,
      int gridRows,
      int gridColumns) {
    double step = (double) side / geometry.size();
    float[] out = new float[gridRows * gridColumns];
    double rowScale = (double) geometry.sourceRows() / gridRows;
    double columnScale = (double) geometry.sourceColumns() / gridColumns;
    for (int r = 0; r < gridRows; r++) {
      double u =
          placement.cell(geometry.offsetRow() + geometry.scale() * (r + 0.5) * rowScale, step);
      for (int c = 0; c < gridColumns; c++) {
        double v =
            placement.cell(
                geometry.offsetColumn() + geometry.scale() * (c + 0.5) * columnScale, step);
        out[r * gridColumns + c] = (float) interpolation.sample(map, side, side, u, v);
      }
    }
    return out;
  }

  /**
   * A {@code side × side} map resampled to a finer {@code size × size} one over the same input
   * square (the input pixels themselves, or the map of an earlier stage), cells placed by the
   * receptive-field convention: fine cell {@code j} (centre {@code (S/size)·j + 0.5}) reads coarse
   * coordinate {@code j · side / size}.
   */
  static float[] toInput(float[] map, int side, int size, MapInterpolation interpolation) {
    double step = (double) side / size;
    float[] out = new float[size * size];
    for (int r = 0; r < size; r++) {
      for (int c = 0; c < size; c++) {
        out[r * size + c] = (float) interpolation.sample(map, side, side, r * step, c * step);
      }
    }
    return out;
  }

  /** Bilinear sample at continuous cell coordinates (cell centres at integers), edges held. */
  static double bilinear(float[] map, int rows, int columns, double u, double v) {
    double uc = Math.max(0, Math.min(rows - 1, u));
    double vc = Math.max(0, Math.min(columns - 1, v));
    int r0 = (int) Math.floor(uc);
    int c0 = (int) Math.floor(vc);
    int r1 = Math.min(r0 + 1, rows - 1);
    int c1 = Math.min(c0 + 1, columns - 1);
    double fr = uc - r0;
    double fc = vc - c0;
    double top = map[r0 * columns + c0] * (1 - fc) + map[r0 * columns + c1] * fc;
    double bottom = map[r1 * columns + c0] * (1 - fc) + map[r1 * columns + c1] * fc;
    return top * (1 - fr) + bottom * fr;
  }

  /**
   * Bicubic sample at continuous cell coordinates (cell centres at integers): Keys' cubic
   * convolution kernel with a = −0.5 (Catmull-Rom) over the 4 × 4 nearest cells, indices held at
   * the edges. It passes through every sample and may overshoot them slightly between cells.
   */
  static double bicubic(float[] map, int rows, int columns, double u, double v) {
    double uc = Math.max(0, Math.min(rows - 1, u));
    double vc = Math.max(0, Math.min(columns - 1, v));
    int r0 = (int) Math.floor(uc);
    int c0 = (int) Math.floor(vc);
    double fr = uc - r0;
    double fc = vc - c0;
    double sum = 0;
    for (int i = -1; i <= 2; i++) {
      int r = Math.max(0, Math.min(rows - 1, r0 + i));
      double wr = keys(i - fr);
      if (wr == 0) {
        continue;
      }
      double row = 0;
      for (int j = -1; j <= 2; j++) {
        int c = Math.max(0, Math.min(columns - 1, c0 + j));
        row += keys(j - fc) * map[r * columns + c];
      }
      sum += wr * row;
    }
    return sum;
  }

  /** Keys' cubic convolution kernel, a = −0.5. */
  private static double keys(double x) {
    double t = Math.abs(x);
    if (t <= 1) {
      return (1.5 * t - 2.5) * t * t + 1;
    }
    if (t < 2) {
      return ((-0.5 * t + 2.5) * t - 4) * t + 2;
    }
    return 0;
  }

  /** Index of the largest value (the first one on ties). */
  static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The grid size for a frame: the longer side gets {@code maxSide} cells (or fewer pixels). */
  static int[] gridSize(int rows, int columns, int maxSide) {
    int longer = Math.max(rows, columns);
    if (longer <= maxSide) {
      return new int[] {rows, columns};
    }
    return new int[] {
      Math.max(1, (int) Math.round((double) rows * maxSide / longer)),
      Math.max(1, (int) Math.round((double) columns * maxSide / longer))
    };
  }
}
