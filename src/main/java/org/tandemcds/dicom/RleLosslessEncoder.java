package org.tandemcds.dicom;

import java.io.ByteArrayOutputStream;

/**
 * Encodes one 16-bit grayscale frame as DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header, then
 * one PackBits segment per byte plane, most significant byte first. Stateless.
 */
final class RleLosslessEncoder {

  byte[] encode(short[] pixels, int rows, int columns) {
    ByteArrayOutputStream high = new ByteArrayOutputStream(pixels.length / 2);
    ByteArrayOutputStream low = new ByteArrayOutputStream(pixels.length);
    byte[] hiRow = new byte[columns];
    byte[] loRow = new byte[columns];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        short p = pixels[r * columns + c];
        hiRow[c] = (byte) (p >> 8);
        loRow[c] = (byte) p;
      }
      packBits(hiRow, high);
      packBits(loRow, low);
    }
    pad(high);
    pad(low);
    byte[] out = new byte[64 + high.size() + low.size()];
    writeInt(out, 0, 2);
    writeInt(out, 4, 64);
    writeInt(out, 8, 64 + high.size());
    System.arraycopy(high.toByteArray(), 0, out, 64, high.size());
    System.arraycopy(low.toByteArray(), 0, out, 64 + high.size(), low.size());
    return out;
  }

  /** PackBits of one row (rows are encoded separately, as PS3.5 G.3.1 recommends). */
  static void packBits(byte[] row, ByteArrayOutputStream out) {
    int i = 0;
    int n = row.length;
    while (i < n) {
      int run = 1;
      while (i + run < n && run < 128 && row[i + run] == row[i]) {
        run++;
      }
      if (run >= 2) {
        out.write(1 - run);
        out.write(row[i]);
        i += run;
        continue;
      }
      int start = i;
      int len = 0;
      while (i < n && len < 128 && !(i + 1 < n && row[i + 1] == row[i])) {
        i++;
        len++;
      }
      out.write(len - 1);
      out.write(row, start, len);
    }
  }

  private static void pad(ByteArrayOutputStream s) {
    if (s.size() % 2 != 0) {
      s.write(0);
    }
  }

  private static void writeInt(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >> 8);
    b[off + 2] = (byte) (v >> 16);
    b[off + 3] = (byte) (v >> 24);
  }
}
