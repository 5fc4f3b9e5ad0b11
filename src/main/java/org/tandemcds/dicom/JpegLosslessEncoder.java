package org.tandemcds.dicom;

import java.io.ByteArrayOutputStream;

/**
 * Encodes one grayscale frame as JPEG Lossless, Non-Hierarchical, First-Order Prediction (ITU T.81
 * Process 14, Selection Value 1; DICOM transfer syntax 1.2.840.10008.1.2.4.70): SOI, SOF3, one DHT
 * with a Huffman table optimised for the frame (T.81 Annex K.2), SOS, the entropy-coded differences
 * with 0xFF byte stuffing, EOI; padded with one 0x00 to an even length (PS3.5 A.4).
 *
 * <p>Prediction: the first pixel is predicted by 2^(P−1), the rest of the first row by the pixel to
 * the left, the first pixel of every other row by the pixel above, every other pixel by the pixel
 * to the left (T.81 H.1.2.1). Differences are taken modulo 2^16. Stateless.
 */
final class JpegLosslessEncoder {
  private static final int SYMBOLS = 17;

  /**
   * @param pixels {@code rows × columns} unsigned values below {@code 2^precision}, row-major
   * @param precision sample precision P in bits, 2–16 (DICOM BitsStored)
   */
  byte[] encode(short[] pixels, int rows, int columns, int precision) {
    int[] diffs = differences(pixels, rows, columns, precision);
    HuffmanTable table = HuffmanTable.optimal(histogram(diffs));
    ByteArrayOutputStream out = new ByteArrayOutputStream(pixels.length);
    header(out, rows, columns, precision, table);
    BitWriter bits = new BitWriter(out);
    for (int d : diffs) {
      int category = category(d);
      bits.write(table.code(category), table.length(category));
      if (category > 0 && category < 16) {
        bits.write(d < 0 ? d - 1 : d, category);
      }
    }
    bits.flush();
    marker(out, 0xD9);
    if (out.size() % 2 != 0) {
      out.write(0);
    }
    return out.toByteArray();
  }

  /** Prediction residuals, reduced modulo 2^16 to −32768..32767 (−32768 stands for 32768). */
  static int[] differences(short[] pixels, int rows, int columns, int precision) {
    int[] d = new int[pixels.length];
    for (int y = 0; y < rows; y++) {
      int row = y * columns;
      for (int x = 0; x < columns; x++) {
        int i = row + x;
        int predicted =
            x > 0
                ? pixels[i - 1] & 0xFFFF
                : y > 0 ? pixels[i - columns] & 0xFFFF : 1 << (precision - 1);
        d[i] = (short) ((pixels[i] & 0xFFFF) - predicted);
      }
    }
    return d;
  }

  /** SSSS of T.81 Table H.2: the number of bits of |d|; 16 for the difference 32768. */
  static int category(int d) {
    return d == -32768 ? 16 : 32 - Integer.numberOfLeadingZeros(Math.abs(d));
  }

  private static long[] histogram(int[] diffs) {
    long[] h = new long[SYMBOLS];
    for (int d : diffs) {
      h[category(d)]++;
    }
    return h;
  }

  private static void header(
      ByteArrayOutputStream out, int rows, int columns, int precision, HuffmanTable table) {
    marker(out, 0xD8);
    marker(out, 0xC3);
    word(out, 11);
    out.write(precision);
    word(out, rows);
    word(out, columns);
    out.write(1); // Nf
    out.write(1); // component id
    out.write(0x11); // H = V = 1
    out.write(0); // Tq
    table.writeSegment(out);
    marker(out, 0xDA);
    word(out, 8);
    out.write(1); // Ns
    out.write(1); // component id
    out.write(0x00); // DC table 0, AC table 0
    out.write(1); // Ss: predictor selection value 1
    out.write(0); // Se
    out.write(0); // Ah = 0, Al = point transform 0
  }

  private static void marker(ByteArrayOutputStream out, int code) {
    out.write(0xFF);
    out.write(code);
  }

  static void word(ByteArrayOutputStream out, int v) {
    out.write(v >> 8);
    out.write(v);
  }

  /** Writes bits most significant first, stuffing a 0x00 after every 0xFF byte (T.81 F.1.2.3). */
  private static final class BitWriter {
    private final ByteArrayOutputStream out;
    private long buffer;
    private int count;

    BitWriter(ByteArrayOutputStream out) {
      this.out = out;
    }

    void write(int value, int length) {
      buffer = (buffer << length) | (value & ((1L << length) - 1));
      count += length;
      while (count >= 8) {
        count -= 8;
        emit((int) (buffer >>> count) & 0xFF);
      }
    }

    /** Pads the last byte with 1-bits (T.81 F.1.2.3). */
    void flush() {
      if (count > 0) {
        write((1 << (8 - count)) - 1, 8 - count);
      }
    }

    private void emit(int b) {
      out.write(b);
      if (b == 0xFF) {
        out.write(0);
      }
    }
  }
}
