package org.tandemcds.dicom;

/**
 * One frame ready for a viewer that does window/level itself: modality values (stored values, sign
 * extended, through the rescale) mapped linearly onto unsigned 16-bit display values where higher
 * is brighter (MONOCHROME1 is flipped here), with the mapping and the image's default window in
 * display units.
 *
 * <p>A display value {@code d} stands for the modality value {@code offset + d · scale} (before the
 * MONOCHROME1 flip: {@code offset + (65535 − d) · scale}).
 *
 * @param rows rows of the frame
 * @param columns columns of the frame
 * @param values {@code rows × columns} unsigned display values, row-major
 * @param offset modality value of display value 0
 * @param scale modality units per display step
 * @param inverted whether the frame was MONOCHROME1 and has been flipped
 * @param windowCenter default window centre in display units (the file's first, else the 1st–99th
 *     percentile range)
 * @param windowWidth default window width in display units
 */
public record DisplayFrame(
    int rows,
    int columns,
    short[] values,
    double offset,
    double scale,
    boolean inverted,
    double windowCenter,
    double windowWidth) {
  private static final int MAX = 65535;

  /**
   * Frame {@code frameIndex} (0-based) of a decoded image. Works through lookup tables over the
   * 65536 possible stored words, so a 5-megapixel frame costs two passes over its pixels.
   */
  public static DisplayFrame of(DecodedImage image, int frameIndex) {
    PixelDescription p = image.pixels();
    short[] stored = image.frames().get(frameIndex);
    boolean[] used = new boolean[MAX + 1];
    for (short raw : stored) {
      used[raw & 0xFFFF] = true;
    }
    double[] modality = new double[MAX + 1];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int raw = 0; raw <= MAX; raw++) {
      modality[raw] = storedValue((short) raw, p) * p.rescaleSlope() + p.rescaleIntercept();
      if (used[raw]) {
        min = Math.min(min, modality[raw]);
        max = Math.max(max, modality[raw]);
      }
    }
    double scale = max > min ? (max - min) / MAX : 1;
    short[] display = new short[MAX + 1];
    for (int raw = 0; raw <= MAX; raw++) {
      int d = (int) Math.round(Math.max(0, Math.min(MAX, (modality[raw] - min) / scale)));
      display[raw] = (short) (p.inverted() ? MAX - d : d);
    }
    short[] values = new short[stored.length];
    int[] histogram = new int[MAX + 1];
    for (int i = 0; i < stored.length; i++) {
      short d = display[stored[i] & 0xFFFF];
      values[i] = d;
      histogram[d & 0xFFFF]++;
    }
    double[] window = window(p, min, scale, histogram, stored.length);
    return new DisplayFrame(
        p.rows(), p.columns(), values, min, scale, p.inverted(), window[0], window[1]);
  }

  /** The stored value as the Pixel Representation and Bits Stored say (sign extended). */
  static int storedValue(short raw, PixelDescription p) {
    int unsigned = raw & 0xFFFF;
    int masked = unsigned & ((1 << p.bitsStored()) - 1);
    if (p.pixelRepresentation() == 1 && (masked & (1 << (p.bitsStored() - 1))) != 0) {
      return masked - (1 << p.bitsStored());
    }
    return masked;
  }

  private static double[] window(
      PixelDescription p, double min, double scale, int[] histogram, int count) {
    if (p.windowCenters().length > 0 && p.windowWidths().length > 0 && p.windowWidths()[0] > 0) {
      double center = (p.windowCenters()[0] - min) / scale;
      return new double[] {p.inverted() ? MAX - center : center, p.windowWidths()[0] / scale};
    }
    int low = percentile(histogram, count, 0.01);
    int high = percentile(histogram, count, 0.99);
    return new double[] {(low + high) / 2.0, Math.max(1, high - low)};
  }

  private static int percentile(int[] histogram, int count, double fraction) {
    long target = (long) Math.ceil(count * fraction);
    long seen = 0;
    for (int d = 0; d < histogram.length; d++) {
      seen += histogram[d];
      if (seen >= target) {
        return d;
      }
    }
    return histogram.length - 1;
  }

  /** The values as little-endian bytes, two per pixel (what a browser's Uint16Array reads). */
  public byte[] littleEndian() {
    byte[] out = new byte[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      out[2 * i] = (byte) values[i];
      out[2 * i + 1] = (byte) (values[i] >>> 8);
    }
    return out;
  }
}
