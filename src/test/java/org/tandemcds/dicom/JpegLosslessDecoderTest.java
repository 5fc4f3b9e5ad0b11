package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * {@link JpegLosslessDecoder} against frames whose pixels are known: written by Tandem's own {@link
 * JpegLosslessEncoder} (predictor 1; itself checked against DCMTK in {@link
 * JpegLosslessEncoderTest}), every decoded sample must equal the original. Predictors 2–7, point
 * transform and restart intervals are checked against DCMTK- and PVRG-encoded streams in {@link
 * IndependentDecoderIT} and {@link PvrgJpegLosslessIT}. Corrupt streams must fail with {@code
 * DICOM_DECODE_FAILED}.
 */
class JpegLosslessDecoderTest {

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 7, 8, 9, 12, 15, 16})
  void every_precision_from_2_to_16_bits_round_trips(int precision) {
    assertRoundTrip(noise(97, 61, precision, precision), 97, 61, precision);
  }

  @ParameterizedTest
  @CsvSource({"1,1", "7,3", "3,7", "1,257", "257,1", "2,2"})
  void odd_sizes_round_trip(int rows, int columns) {
    assertRoundTrip(noise(rows, columns, 16, rows * 1000L + columns), rows, columns, 16);
  }

  @Test
  void the_difference_32768_and_full_range_jumps_round_trip() {
    int[] extremes = {0, 65535, 32768, 1, 65534, 32767};
    SplittableRandom r = new SplittableRandom(3);
    short[] pixels = new short[41 * 37];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (short) extremes[r.nextInt(extremes.length)];
    }
    pixels[0] = 0; // first difference: 0 − 2^15 = −32768, coded as SSSS 16
    pixels[1] = (short) 32768;
    assertRoundTrip(pixels, 41, 37, 16);
  }

  @Test
  void a_flat_image_with_a_one_code_table_round_trips() {
    assertRoundTrip(new short[64 * 48], 64, 48, 12);
  }

  @Test
  void a_truncated_stream_fails_with_a_coded_error() {
    byte[] jpeg = new JpegLosslessEncoder().encode(noise(80, 90, 16, 1), 80, 90, 16);
    byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
    assertFails(cut, 80, 90, "ends early");
  }

  @Test
  void a_stream_cut_right_after_the_scan_header_fails_with_a_coded_error() {
    byte[] jpeg = new JpegLosslessEncoder().encode(noise(20, 20, 12, 2), 20, 20, 12);
    byte[] cut = Arrays.copyOf(jpeg, indexOfMarker(jpeg, 0xDA) + 2 + 8);
    assertFails(cut, 20, 20, "ends early");
  }

  /** K.2 keeps the all-ones code free, so 16 one bits (stuffed 0xFF 0x00 pairs) match no code. */
  @Test
  void a_bad_huffman_code_fails_with_a_coded_error() {
    byte[] jpeg = new JpegLosslessEncoder().encode(noise(30, 30, 16, 4), 30, 30, 16);
    int scan = indexOfMarker(jpeg, 0xDA) + 2 + 8;
    byte[] bad = jpeg.clone();
    for (int i = scan; i < scan + 8; i += 2) {
      bad[i] = (byte) 0xFF;
      bad[i + 1] = 0;
    }
    assertFails(bad, 30, 30, "bad Huffman code");
  }

  @Test
  void a_frame_whose_sof_size_differs_from_rows_and_columns_is_refused() {
    byte[] jpeg = new JpegLosslessEncoder().encode(noise(10, 12, 8, 5), 10, 12, 8);
    assertFails(jpeg, 10, 13, "SOF3 declares 10 × 12");
  }

  @Test
  void bytes_that_are_not_a_jpeg_stream_are_refused() {
    assertFails(new byte[] {0, 1, 2, 3}, 1, 1, "SOI");
    assertFails(new byte[] {(byte) 0xFF, (byte) 0xD8}, 1, 1, "no JPEG marker");
  }

  @Test
  void a_baseline_dct_frame_is_refused() {
    byte[] jpeg = new JpegLosslessEncoder().encode(noise(10, 12, 8, 5), 10, 12, 8);
    jpeg[indexOfMarker(jpeg, 0xC3) + 1] = (byte) 0xC0;
    assertFails(jpeg, 10, 12, "SOF0");
  }

  @Test
  void a_missing_huffman_table_is_refused() {
    byte[] jpeg = new JpegLosslessEncoder().encode(noise(10, 12, 8, 5), 10, 12, 8);
    int sos = indexOfMarker(jpeg, 0xDA);
    jpeg[sos + 2 + 2 + 2] = 0x10; // Td = 1
    assertFails(jpeg, 10, 12, "Huffman table 1");
  }

  private static void assertRoundTrip(short[] pixels, int rows, int columns, int precision) {
    byte[] jpeg = new JpegLosslessEncoder().encode(pixels, rows, columns, precision);
    short[] out = new short[rows * columns];
    new JpegLosslessDecoder("test.dcm").decode(jpeg, out, rows, columns);
    assertThat(out).isEqualTo(pixels);
  }

  private static void assertFails(byte[] jpeg, int rows, int columns, String reason) {
    short[] out = new short[rows * columns];
    assertThatThrownBy(() -> new JpegLosslessDecoder("bad.dcm").decode(jpeg, out, rows, columns))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DICOM_DECODE_FAILED))
        .hasMessageContaining("bad.dcm")
        .hasMessageContaining(reason);
  }

  /** A ramp with Gaussian noise, clipped to [0, 2^bits − 1]. */
  static short[] noise(int rows, int columns, int bits, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int max = (1 << bits) - 1;
    short[] p = new short[rows * columns];
    for (int i = 0; i < p.length; i++) {
      double ramp = max * (double) i / Math.max(1, p.length - 1);
      long v = Math.round(ramp + max / 20.0 * r.nextGaussian());
      p[i] = (short) Math.max(0, Math.min(max, v));
    }
    return p;
  }

  static int indexOfMarker(byte[] b, int marker) {
    for (int i = 0; i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == marker) {
        return i;
      }
    }
    throw new AssertionError("no marker " + Integer.toHexString(marker));
  }
}
