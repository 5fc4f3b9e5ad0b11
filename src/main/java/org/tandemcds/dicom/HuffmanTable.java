package org.tandemcds.dicom;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A JPEG Huffman table over the lossless difference categories 0–16, built from symbol counts by
 * the procedure of ITU T.81 Annex K.2 (Figures K.1–K.4: code sizes with a reserved all-ones code
 * point, lengths limited to 16 bits, values sorted by code size) and coded canonically (Annex C.2).
 * Immutable.
 */
final class HuffmanTable {
  private static final int MAX_LENGTH = 16;

  /** BITS: number of codes of each length 1..16 (index 0 unused). */
  private final int[] bits;

  /** HUFFVAL: symbols in order of increasing code length. */
  private final int[] values;

  private final int[] code;
  private final int[] length;

  private HuffmanTable(int[] bits, int[] values, int symbols) {
    this.bits = bits;
    this.values = values;
    this.code = new int[symbols];
    this.length = new int[symbols];
    assignCodes();
  }

  /** The optimal table for {@code counts} (one count per symbol; zero counts get no code). */
  static HuffmanTable optimal(long[] counts) {
    int n = counts.length;
    long[] freq = Arrays.copyOf(counts, n + 1);
    freq[n] = 1; // reserved symbol: no code of all ones (K.2)
    int[] size = codeSizes(freq);
    int[] bits = new int[2 * MAX_LENGTH + 2];
    for (int s : size) {
      if (s > 0) {
        bits[s]++;
      }
    }
    limitLengths(bits);
    return new HuffmanTable(Arrays.copyOf(bits, MAX_LENGTH + 1), sortedValues(size, n), n);
  }

  /** Figure K.1: code size of every symbol (0 for a symbol that never occurs). */
  private static int[] codeSizes(long[] freq) {
    int[] size = new int[freq.length];
    int[] others = new int[freq.length];
    Arrays.fill(others, -1);
    while (true) {
      int v1 = least(freq, -1);
      int v2 = least(freq, v1);
      if (v2 < 0) {
        return size;
      }
      freq[v1] += freq[v2];
      freq[v2] = 0;
      v1 = lengthen(size, others, v1);
      others[v1] = v2;
      lengthen(size, others, v2);
    }
  }

  /** Adds one bit to every symbol in the chain from {@code v}; returns the chain's last symbol. */
  private static int lengthen(int[] size, int[] others, int v) {
    size[v]++;
    while (others[v] >= 0) {
      v = others[v];
      size[v]++;
    }
    return v;
  }

  /**
   * The symbol with the least non-zero count (the largest such symbol on ties), not {@code not}.
   */
  private static int least(long[] freq, int not) {
    int best = -1;
    for (int v = 0; v < freq.length; v++) {
      if (v != not && freq[v] > 0 && (best < 0 || freq[v] <= freq[best])) {
        best = v;
      }
    }
    return best;
  }

  /** Figure K.3: limits code lengths to 16 bits, then removes the reserved code point. */
  private static void limitLengths(int[] bits) {
    for (int i = bits.length - 1; i > MAX_LENGTH; i--) {
      while (bits[i] > 0) {
        int j = i - 2;
        while (bits[j] == 0) {
          j--;
        }
        bits[i] -= 2;
        bits[i - 1]++;
        bits[j + 1] += 2;
        bits[j]--;
      }
    }
    int i = MAX_LENGTH;
    while (bits[i] == 0) {
      i--;
    }
    bits[i]--;
  }

  /** Figure K.4: real symbols ordered by code size, then by value. */
  private static int[] sortedValues(int[] size, int symbols) {
    int[] out = new int[symbols];
    int k = 0;
    for (int s = 1; s <= 2 * MAX_LENGTH + 1; s++) {
      for (int v = 0; v < symbols; v++) {
        if (size[v] == s) {
          out[k++] = v;
        }
      }
    }
    return Arrays.copyOf(out, k);
  }

  /** Annex C: canonical codes, consecutive within a length, doubled at each longer length. */
  private void assignCodes() {
    int next = 0;
    int k = 0;
    for (int len = 1; len <= MAX_LENGTH; len++) {
      for (int j = 0; j < bits[len]; j++) {
        code[values[k]] = next++;
        length[values[k]] = len;
        k++;
      }
      next <<= 1;
    }
  }

  int code(int symbol) {
    return code[symbol];
  }

  int length(int symbol) {
    return length[symbol];
  }

  /** Writes a DHT marker segment holding this table as table 0 of class 0 (DC/lossless). */
  void writeSegment(ByteArrayOutputStream out) {
    out.write(0xFF);
    out.write(0xC4);
    JpegLosslessEncoder.word(out, 2 + 1 + MAX_LENGTH + values.length);
    out.write(0x00);
    for (int len = 1; len <= MAX_LENGTH; len++) {
      out.write(bits[len]);
    }
    for (int v : values) {
      out.write(v);
    }
  }
}
