package org.tandemcds.dicom;

import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Decodes one greyscale JPEG Lossless frame (ITU T.81 Process 14: non-hierarchical, Huffman coded,
 * DICOM transfer syntaxes 1.2.840.10008.1.2.4.57 and .70) straight into the caller's {@code
 * short[]}.
 *
 * <p>Covers predictors (selection values) 1–7, point transform Pt, precision 2–16, one component,
 * restart intervals of whole rows (DRI, RST0–7), up to four DHT tables, 0xFF00 byte stuffing and
 * fill bytes, and the difference 32768 (SSSS 16, no additional bits). Reconstruction is modulo 2^16
 * (H.1.2.1); the output is the reconstructed value shifted left by Pt.
 *
 * <p>Bounded: the work is one pass over {@code rows × columns} samples and the marker segments of
 * the given bytes; nothing is allocated from a length the stream declares. Not thread-safe (one
 * instance per frame).
 *
 * @see #decode(byte[], short[], int, int)
 */
final class JpegLosslessDecoder {
  private static final int SOI = 0xD8;
  private static final int SOF3 = 0xC3;
  private static final int DHT = 0xC4;
  private static final int DRI = 0xDD;
  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;
  private static final int RST0 = 0xD0;
  private static final int MAX_MARKER_SEGMENTS = 1024;

  private final String file;
  private final LosslessHuffmanTable[] tables = new LosslessHuffmanTable[4];
  private byte[] data;
  private int pos;
  private int precision;
  private int frameRows;
  private int frameColumns;
  private int restartInterval;

  // Bit reader: the next {@code bits} bits of the entropy-coded segment are the low bits of acc,
  // most significant first; {@code fake} counts zero bytes appended at a marker or the data's end.
  private long acc;
  private int bits;
  private int fake;
  private boolean atMarker;

  /**
   * @param file the file name used in error details
   */
  JpegLosslessDecoder(String file) {
    this.file = file;
  }

  /**
   * Decodes the frame in {@code jpeg} (one frame's fragments concatenated) into {@code out}.
   *
   * @param out {@code rows × columns} samples, row-major
   * @throws CdsException {@code DICOM_DECODE_FAILED} when the stream is not a one-component Process
   *     14 frame of exactly {@code rows × columns}, or is corrupt (bad marker segment, bad Huffman
   *     code, premature end, missing restart marker)
   */
  void decode(byte[] jpeg, short[] out, int rows, int columns) {
    this.data = jpeg;
    this.pos = 0;
    if (jpeg.length < 2 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != SOI) {
      throw failed("frame does not start with a JPEG SOI marker");
    }
    pos = 2;
    int[] scan = readHeaders();
    if (frameRows != rows || frameColumns != columns) {
      throw failed(
          "SOF3 declares "
              + frameRows
              + " × "
              + frameColumns
              + ", the image is "
              + rows
              + " × "
              + columns);
    }
    LosslessHuffmanTable table = tables[scan[0]];
    if (table == null) {
      throw failed("SOS names Huffman table " + scan[0] + ", which no DHT defined");
    }
    decodeScan(table, out, scan[1], scan[2]);
  }

  /** Reads marker segments up to SOS; returns the scan's table, predictor and point transform. */
  private int[] readHeaders() {
    for (int n = 0; n < MAX_MARKER_SEGMENTS; n++) {
      int marker = nextMarker();
      int length = u16(pos);
      if (length < 2 || pos + length > data.length) {
        throw failed(String.format("marker 0xFF%02X segment length %d overruns", marker, length));
      }
      int start = pos + 2;
      int end = pos + length;
      switch (marker) {
        case SOF3 -> frameHeader(start, end);
        case DHT -> huffmanTables(start, end);
        case DRI -> restartInterval = length >= 4 ? u16(start) : 0;
        case SOS -> {
          pos = end;
          return scanHeader(start, end);
        }
        default -> refuseOtherFrames(marker);
      }
      pos = end;
    }
    throw failed("no SOS within " + MAX_MARKER_SEGMENTS + " marker segments");
  }

  /** The code of the marker at {@code pos} (after any 0xFF fill bytes); pos moves past it. */
  private int nextMarker() {
    if (pos + 4 > data.length || (data[pos] & 0xFF) != 0xFF) {
      throw failed("no JPEG marker at byte " + pos);
    }
    while (pos + 4 < data.length && (data[pos + 1] & 0xFF) == 0xFF) {
      pos++;
    }
    int marker = data[pos + 1] & 0xFF;
    pos += 2;
    if (marker == EOI || marker == SOI || (marker >= RST0 && marker <= RST0 + 7)) {
      throw failed(String.format("unexpected marker 0xFF%02X before SOS", marker));
    }
    return marker;
  }

  private void refuseOtherFrames(int marker) {
    boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != 0xC8;
    if (sof && marker != 0xCC) {
      throw failed(String.format("SOF%d frame, not lossless Huffman (SOF3)", marker - 0xC0));
    }
    if (marker == 0xCC) {
      throw failed("arithmetic coding (DAC) is not supported");
    }
  }

  private void frameHeader(int start, int end) {
    if (end - start < 9) {
      throw failed("SOF3 segment too short");
    }
    precision = data[start] & 0xFF;
    frameRows = u16(start + 1);
    frameColumns = u16(start + 3);
    int components = data[start + 5] & 0xFF;
    if (precision < 2 || precision > 16) {
      throw failed("SOF3 precision " + precision + " (2-16 allowed)");
    }
    if (components != 1) {
      throw failed("SOF3 declares " + components + " components; greyscale needs 1");
    }
  }

  /** One DHT segment may hold several tables (B.2.4.2); class 1 (AC) tables are not used here. */
  private void huffmanTables(int start, int end) {
    int at = start;
    while (at < end) {
      int classAndId = data[at] & 0xFF;
      if (at + 17 > end || (classAndId & 0x0F) > 3) {
        throw failed("DHT segment malformed at byte " + at);
      }
      int[] counts = new int[17];
      int total = 0;
      for (int len = 1; len <= 16; len++) {
        counts[len] = data[at + len] & 0xFF;
        total += counts[len];
      }
      if (at + 17 + total > end) {
        throw failed("DHT lists " + total + " symbols beyond its segment");
      }
      int[] values = new int[total];
      for (int i = 0; i < total; i++) {
        values[i] = data[at + 17 + i] & 0xFF;
      }
      if (classAndId >> 4 == 0) {
        tables[classAndId & 0x0F] = table(counts, values);
      }
      at += 17 + total;
    }
  }

  private LosslessHuffmanTable table(int[] counts, int[] values) {
    try {
      return new LosslessHuffmanTable(counts, values);
    } catch (IllegalArgumentException e) {
      throw failed(e.getMessage());
    }
  }

  /** Returns {table, predictor, point transform}. */
  private int[] scanHeader(int start, int end) {
    if (precision == 0) {
      throw failed("SOS before SOF3");
    }
    if (end - start < 6 || (data[start] & 0xFF) != 1) {
      throw failed("SOS must name exactly one component");
    }
    int table = (data[start + 2] & 0xFF) >> 4;
    int predictor = data[start + 3] & 0xFF;
    int pointTransform = data[start + 5] & 0x0F;
    if (table > 3 || predictor < 1 || predictor > 7 || pointTransform >= precision) {
      throw failed(
          "SOS table "
              + table
              + ", predictor "
              + predictor
              + ", point transform "
              + pointTransform);
    }
    return new int[] {table, predictor, pointTransform};
  }

  private void decodeScan(LosslessHuffmanTable table, short[] out, int predictor, int pt) {
    int rowsPerInterval = rowsPerRestartInterval();
    int initial = 1 << (precision - pt - 1);
    for (int y = 0; y < frameRows; y++) {
      boolean firstOfInterval = y % rowsPerInterval == 0;
      if (firstOfInterval && y > 0) {
        restart(y / rowsPerInterval - 1);
      }
      int row = y * frameColumns;
      if (firstOfInterval) {
        firstRow(table, out, row, initial);
      } else {
        otherRow(table, out, row, predictor);
      }
      checkNotPastEnd(y);
    }
    if (pt > 0) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (short) (out[i] << pt);
      }
    }
  }

  private int rowsPerRestartInterval() {
    if (restartInterval == 0) {
      return frameRows;
    }
    if (restartInterval % frameColumns != 0) {
      throw failed(
          "restart interval "
              + restartInterval
              + " is not a whole number of "
              + frameColumns
              + "-sample rows");
    }
    return restartInterval / frameColumns;
  }

  /** First row of the scan or of a restart interval: 2^(P-Pt-1), then the left neighbour. */
  private void firstRow(LosslessHuffmanTable table, short[] out, int row, int initial) {
    int left = (initial + difference(table)) & 0xFFFF;
    out[row] = (short) left;
    for (int i = row + 1; i < row + frameColumns; i++) {
      left = (left + difference(table)) & 0xFFFF;
      out[i] = (short) left;
    }
  }

  /**
   * A row with a row above: the first sample predicted from above, the others by the selection
   * value (T.81 Table H.1). The predictor is chosen inside the loop rather than by seven loops: the
   * branch is the same for every sample, so it costs little, and the method stays one piece.
   */
  private void otherRow(LosslessHuffmanTable table, short[] out, int row, int predictor) {
    int up = row - frameColumns;
    int ra = ((out[up] & 0xFFFF) + difference(table)) & 0xFFFF;
    out[row] = (short) ra;
    int end = row + frameColumns;
    for (int i = row + 1; i < end; i++) {
      int rb = out[i - frameColumns] & 0xFFFF;
      int rc = out[i - frameColumns - 1] & 0xFFFF;
      int predicted =
          switch (predictor) {
            case 1 -> ra;
            case 2 -> rb;
            case 3 -> rc;
            case 4 -> ra + rb - rc;
            case 5 -> ra + ((rb - rc) >> 1);
            case 6 -> rb + ((ra - rc) >> 1);
            default -> (ra + rb) >> 1;
          };
      ra = (predicted + difference(table)) & 0xFFFF;
      out[i] = (short) ra;
    }
  }

  /**
   * The next difference (F.2.2.1 DECODE and EXTEND; SSSS 16 means 32768 with no extra bits). The
   * hot path: one table lookup for codes of up to 9 bits, then the additional bits.
   */
  private int difference(LosslessHuffmanTable table) {
    if (bits < 32) {
      fill();
    }
    int entry =
        table
            .fast[
            (int) (acc >>> (bits - LosslessHuffmanTable.FAST_BITS))
                & ((1 << LosslessHuffmanTable.FAST_BITS) - 1)];
    if (entry == 0) {
      entry = table.slow((int) (acc >>> (bits - 16)) & 0xFFFF);
      if (entry < 0) {
        throw failed("bad Huffman code at byte " + pos);
      }
    }
    bits -= entry >>> 8;
    int s = entry & 0xFF;
    if (s == 0) {
      return 0;
    }
    if (s == 16) {
      return 32768;
    }
    int v = (int) (acc >>> (bits - s)) & ((1 << s) - 1);
    bits -= s;
    return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
  }

  /**
   * Tops the bit buffer up to more than 56 bits: stuffed 0xFF00 gives 0xFF; a marker (or the end of
   * the data) is not consumed, and zero bytes stand in for it, counted in {@code fake}.
   */
  private void fill() {
    while (bits <= 56) {
      int b = atMarker ? -1 : nextEntropyByte();
      if (b < 0) {
        fake++;
        b = 0;
      }
      acc = acc << 8 | b;
      bits += 8;
    }
  }

  /** The next byte of entropy-coded data, unstuffed; -1 at a marker or the end of the data. */
  private int nextEntropyByte() {
    if (pos >= data.length) {
      atMarker = true;
      return -1;
    }
    int b = data[pos] & 0xFF;
    if (b != 0xFF) {
      pos++;
      return b;
    }
    if (pos + 1 < data.length && data[pos + 1] == 0) {
      pos += 2;
      return 0xFF;
    }
    atMarker = true;
    return -1;
  }

  /** A row that used the zero bytes standing in for a marker or the end: the data ended early. */
  private void checkNotPastEnd(int y) {
    if (fake > 0 && bits < fake * 8) {
      throw failed("entropy-coded data ends early, in row " + (y + 1) + " of " + frameRows);
    }
  }

  /** Restart marker RSTn (n = interval mod 8): drop the bits left, expect it, reset the reader. */
  private void restart(int interval) {
    acc = 0;
    bits = 0;
    fake = 0;
    atMarker = false;
    while (pos + 1 < data.length && (data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xFF) == 0xFF) {
      pos++;
    }
    int expected = RST0 + (interval & 7);
    if (pos + 1 >= data.length
        || (data[pos] & 0xFF) != 0xFF
        || (data[pos + 1] & 0xFF) != expected) {
      throw failed(String.format("restart marker RST%d missing at byte %d", interval & 7, pos));
    }
    pos += 2;
  }

  private int u16(int at) {
    return (data[at] & 0xFF) << 8 | data[at + 1] & 0xFF;
  }

  private CdsException failed(String reason) {
    return new CdsException(ErrorCode.DICOM_DECODE_FAILED, file + ": JPEG Lossless " + reason);
  }
}
