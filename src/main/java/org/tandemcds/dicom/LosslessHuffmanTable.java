package org.tandemcds.dicom;

/**
 * A JPEG lossless Huffman table for decoding (ITU T.81 Annex C and F.2.2.3), built from a DHT
 * segment's BITS and HUFFVAL lists. Codes of up to {@link #FAST_BITS} bits are found in one lookup
 * of the next {@code FAST_BITS} bits; longer codes go through the MAXCODE/VALPTR procedure of
 * Figure F.16. Symbols are the difference categories SSSS 0–16 (Table H.2). Immutable.
 */
final class LosslessHuffmanTable {
  static final int FAST_BITS = 9;
  private static final int MAX_LENGTH = 16;
  private static final int MAX_SYMBOL = 16;

  /** Per {@code FAST_BITS}-bit prefix: code length {@code << 8 |} symbol; 0 for longer codes. */
  final int[] fast = new int[1 << FAST_BITS];

  private final int[] maxCode = new int[MAX_LENGTH + 2];
  private final int[] valueOffset = new int[MAX_LENGTH + 1];
  private final int[] values;

  /**
   * @param counts BITS: number of codes of each length 1..16 (index 0 unused)
   * @param values HUFFVAL in order of increasing code length
   * @throws IllegalArgumentException when the counts do not form a prefix code or a symbol is not a
   *     lossless difference category
   */
  LosslessHuffmanTable(int[] counts, int[] values) {
    this.values = values.clone();
    for (int v : values) {
      if (v > MAX_SYMBOL) {
        throw new IllegalArgumentException("DHT holds symbol " + v + " (lossless allows 0-16)");
      }
    }
    int code = 0;
    int k = 0;
    for (int len = 1; len <= MAX_LENGTH; len++) {
      valueOffset[len] = k - code;
      for (int j = 0; j < counts[len]; j++, k++, code++) {
        if (len <= FAST_BITS) {
          fillFast(code, len, values[k]);
        }
      }
      maxCode[len] = counts[len] == 0 ? -1 : code - 1;
      if (code > (1 << len)) {
        throw new IllegalArgumentException("DHT code lengths overflow at length " + len);
      }
      code <<= 1;
    }
    maxCode[MAX_LENGTH + 1] = Integer.MAX_VALUE;
  }

  /** Every {@code FAST_BITS}-bit prefix that starts with this code decodes to the symbol. */
  private void fillFast(int code, int len, int symbol) {
    int shift = FAST_BITS - len;
    int first = code << shift;
    for (int i = 0; i < 1 << shift; i++) {
      fast[first + i] = len << 8 | symbol;
    }
  }

  /**
   * The symbol of a code longer than {@code FAST_BITS} bits (Figure F.16), given the next 16 bits
   * of the stream: code length {@code << 8 |} symbol, or -1 when no code matches.
   */
  int slow(int next16) {
    for (int len = FAST_BITS + 1; len <= MAX_LENGTH; len++) {
      int code = next16 >>> (MAX_LENGTH - len);
      if (code <= maxCode[len]) {
        return len << 8 | values[valueOffset[len] + code];
      }
    }
    return -1;
  }
}
