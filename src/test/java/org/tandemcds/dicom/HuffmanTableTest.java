package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HuffmanTableTest {

  @Test
  void fibonacci_counts_are_limited_to_16_bit_codes_that_stay_prefix_free() {
    long[] counts = new long[17];
    long a = 1;
    long b = 1;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = a;
      long next = a + b;
      a = b;
      b = next;
    }
    // unlimited Huffman codes for 17 Fibonacci counts would be up to 17 bits long
    HuffmanTable t = HuffmanTable.optimal(counts);
    assertPrefixFreeWithoutAllOnes(t, counts.length);
    for (int s = 0; s < counts.length; s++) {
      assertThat(t.length(s)).as("symbol %d", s).isBetween(1, 16);
    }
  }

  @Test
  void frequent_symbols_get_codes_no_longer_than_rare_ones() {
    long[] counts = {5, 900, 400, 120, 40, 9, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    HuffmanTable t = HuffmanTable.optimal(counts);
    assertPrefixFreeWithoutAllOnes(t, 7);
    assertThat(t.length(1)).isLessThanOrEqualTo(t.length(2));
    assertThat(t.length(2)).isLessThanOrEqualTo(t.length(3));
    assertThat(t.length(3)).isLessThanOrEqualTo(t.length(5));
    assertThat(t.length(7)).as("an unused symbol gets no code").isZero();
  }

  private static void assertPrefixFreeWithoutAllOnes(HuffmanTable t, int symbols) {
    double kraft = 0;
    for (int s = 0; s < symbols; s++) {
      int len = t.length(s);
      kraft += Math.pow(2, -len);
      assertThat(t.code(s)).as("all-ones code for %d", s).isNotEqualTo((1 << len) - 1);
      for (int o = 0; o < symbols; o++) {
        int lo = t.length(o);
        if (o != s && lo >= len) {
          assertThat(t.code(o) >>> (lo - len)).as("%d prefixes %d", s, o).isNotEqualTo(t.code(s));
        }
      }
    }
    assertThat(kraft).isLessThan(1.0);
  }
}
