package org.tandemcds.explain;

import org.tandemcds.encode.LetterboxGeometry;

/**
 * Resampling of maps that cover the network's whole square input: onto a compact grid over the
 * original frame (letterbox undone), or onto the input square itself. Bilinear with the same
 * convention as {@link LetterboxGeometry#resampleToSource} (PyTorch {@code interpolate(mode =
 * "bilinear", align_corners = False)}, edges held).
 */
final class Maps {
  private Maps() {}

  /**
   * Samples a {@code side × side} map over the input square at the centres of a {@code gridRows ×
   * gridColumns} grid laid over the original frame: cell {@code (r, c)} covers source rows {@code
   * [r·R/gridRows, (r+1)·R/gridRows)}; its centre goes through {@code geometry} into the input.
   * With {@code gridRows = R} and {@code gridColumns = C} this is exactly {@code
   * geometry.resampleToSource}.
   */
  static float[] toSourceGrid(
      float[] map, int side, LetterboxGeometry geometry, int gridRows, int gridColumns) {
    double step = (double) side / geometry.size();
    float[] out = new float[gridRows * gridColumns];
    double rowScale = (double) geometry.sourceRows() / gridRows;
    double columnScale = (double) geometry.sourceColumns() / gridColumns;
    for (int r = 0; r < gridRows; r++) {
      double u = (geometry.offsetRow() + geometry.scale() * (r + 0.5) * rowScale) * step - 0.5;
      for (int c = 0; c < gridColumns; c++) {
        double v =
            (geometry.offsetColumn() + geometry.scale() * (c + 0.5) * columnScale) * step - 0.5;
        out[r * gridColumns + c] = (float) bilinear(map, side, side, u, v);
      }
    }
    return out;
  }

  /** A {@code side × side} map over the input square resampled to {@code size × size}. */
  static float[] toInput(float[] map, int side, int size) {
    double step = (double) side / size;
    float[] out = new float[size * size];
    for (int r = 0; r < size; r++) {
      double u = (r + 0.5) * step - 0.5;
      for (int c = 0; c < size; c++) {
        out[r * size + c] = (float) bilinear(map, side, side, u, (c + 0.5) * step - 0.5);
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
