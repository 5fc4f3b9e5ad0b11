package org.tandemcds.samples;

/**
 * Where one finding lies on the stored image: a coarse bit grid (the renderer's working grid)
 * looked up by nearest neighbour at stored-pixel coordinates, and its bounding box in stored
 * pixels. Immutable after the renderer hands it over.
 *
 * @param bits one byte per grid cell; the finding's bit is {@code 1 << finding.ordinal()}
 */
public record LesionMask(
    Finding finding, int gridWidth, int gridHeight, byte[] bits, int columns, int rows) {

  /** Whether stored pixel (x, y) is inside the lesion. */
  public boolean contains(int x, int y) {
    int gx = Math.min(gridWidth - 1, (int) ((long) x * gridWidth / columns));
    int gy = Math.min(gridHeight - 1, (int) ((long) y * gridHeight / rows));
    return (bits[gy * gridWidth + gx] & (1 << finding.ordinal())) != 0;
  }

  /**
   * Writes the mask at stored size as 1-bit rows, most significant bit first, {@code stride} bytes
   * a row, into {@code out} (zeroed by the caller): the layout of a {@code TYPE_BYTE_BINARY}
   * raster. Same pixels as {@link #contains}.
   */
  public void pack(byte[] out, int stride) {
    int[] gx = new int[columns];
    for (int x = 0; x < columns; x++) {
      gx[x] = Math.min(gridWidth - 1, (int) ((long) x * gridWidth / columns));
    }
    int bit = 1 << finding.ordinal();
    for (int y = 0; y < rows; y++) {
      int row = Math.min(gridHeight - 1, (int) ((long) y * gridHeight / rows)) * gridWidth;
      for (int x = 0; x < columns; x++) {
        if ((bits[row + gx[x]] & bit) != 0) {
          out[y * stride + (x >> 3)] |= (byte) (0x80 >>> (x & 7));
        }
      }
    }
  }

  /** {xMin, yMin, xMax, yMax} inclusive, in stored pixels; null when the mask is empty. */
  public int[] box() {
    int x0 = Integer.MAX_VALUE;
    int y0 = Integer.MAX_VALUE;
    int x1 = -1;
    int y1 = -1;
    int bit = 1 << finding.ordinal();
    for (int gy = 0; gy < gridHeight; gy++) {
      for (int gx = 0; gx < gridWidth; gx++) {
        if ((bits[gy * gridWidth + gx] & bit) != 0) {
          x0 = Math.min(x0, gx);
          y0 = Math.min(y0, gy);
          x1 = Math.max(x1, gx);
          y1 = Math.max(y1, gy);
        }
      }
    }
    if (x1 < 0) {
      return null;
    }
    return new int[] {
      (int) ((long) x0 * columns / gridWidth),
      (int) ((long) y0 * rows / gridHeight),
      (int) Math.min(columns - 1, ((long) (x1 + 1) * columns + gridWidth - 1) / gridWidth - 1),
      (int) Math.min(rows - 1, ((long) (y1 + 1) * rows + gridHeight - 1) / gridHeight - 1)
    };
  }

  /** Number of stored pixels inside the lesion (counted at stored resolution). */
  public long area() {
    long n = 0;
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < columns; x++) {
        n += contains(x, y) ? 1 : 0;
      }
    }
    return n;
  }
}
