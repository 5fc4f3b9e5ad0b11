package org.tandemcds.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Decodes one greyscale DICOM RLE Lossless frame (PS3.5 Annex G) of 8 or 16 bits allocated straight
 * into the caller's {@code short[]}: the 64-byte RLE header (number of segments, then 15 segment
 * offsets, little endian), then one PackBits segment per byte plane, most significant byte first.
 *
 * <p>Bounded: each segment decodes to at most {@code rows × columns} bytes (a segment that would
 * give more is cut there, as DCMTK and pydicom tolerate encoders' padding), and reads only its own
 * bytes. Stateless; thread-safe.
 */
final class RleLosslessDecoder {
  private static final int HEADER = 64;

  private RleLosslessDecoder() {}

  /**
   * @param frame the frame's one fragment
   * @param out {@code rows × columns} samples, row-major
   * @param bitsAllocated 8 or 16 (one or two segments)
   * @throws CdsException {@code DICOM_DECODE_FAILED} for a wrong segment count, offsets outside the
   *     frame or out of order, or a segment that ends before it filled its plane
   */
  static void decode(ByteBuffer frame, short[] out, int bitsAllocated, String file) {
    ByteBuffer b = frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int base = b.position();
    int length = b.remaining();
    int planes = bitsAllocated / 8;
    if (length < HEADER || b.getInt(base) != planes) {
      throw failed(file, "RLE header must declare " + planes + " segments for one sample");
    }
    for (int s = 0; s < planes; s++) {
      long start = Integer.toUnsignedLong(b.getInt(base + 4 + 4 * s));
      long end = s + 1 < planes ? Integer.toUnsignedLong(b.getInt(base + 8 + 4 * s)) : length;
      if (start < HEADER || end > length || start >= end) {
        throw failed(file, "RLE segment " + (s + 1) + " offsets " + start + "-" + end);
      }
      int shift = 8 * (planes - 1 - s);
      segment(b, base + (int) start, base + (int) end, out, shift, s == 0, file);
    }
  }

  /**
   * PackBits (G.3.1): a header byte n ≥ 0 copies n + 1 literal bytes, −127 ≤ n ≤ −1 repeats the
   * next byte 1 − n times, −128 is skipped. The first plane (the high byte, or the only one) is
   * written, the second OR-ed in. The loop is one piece for speed.
   */
  private static void segment(
      ByteBuffer b, int at, int end, short[] out, int shift, boolean first, String file) {
    int number = first ? 1 : 2;
    int i = 0;
    int n = out.length;
    while (i < n) {
      if (at >= end) {
        throw failed(file, "RLE segment " + number + " ends after " + i + " of " + n + " bytes");
      }
      int header = b.get(at++);
      if (header >= 0) {
        int count = Math.min(header + 1, n - i);
        if (at + count > end) {
          throw failed(file, "RLE segment " + number + " literal run overruns the segment");
        }
        for (int k = 0; k < count; k++) {
          i = put(out, i, b.get(at++) & 0xFF, shift, first);
        }
      } else if (header != -128) {
        if (at >= end) {
          throw failed(file, "RLE segment " + number + " ends inside a replicate run");
        }
        int value = b.get(at++) & 0xFF;
        int count = Math.min(1 - header, n - i);
        for (int k = 0; k < count; k++) {
          i = put(out, i, value, shift, first);
        }
      }
    }
  }

  private static int put(short[] out, int i, int value, int shift, boolean first) {
    out[i] = first ? (short) (value << shift) : (short) (out[i] | value);
    return i + 1;
  }

  private static CdsException failed(String file, String reason) {
    return new CdsException(ErrorCode.DICOM_DECODE_FAILED, file + ": " + reason);
  }
}
