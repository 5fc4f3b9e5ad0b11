package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * {@link RleLosslessDecoder} against frames whose pixels are known: 16-bit frames written by
 * Tandem's {@link RleLosslessEncoder} (checked against DCMTK's {@code dcmdrle} through {@link
 * IndependentDecoderIT}) and 8-bit frames built here with its PackBits; DCMTK-encoded files are
 * compared in {@link IndependentDecoderIT}. Corrupt frames fail with {@code DICOM_DECODE_FAILED}.
 */
class RleLosslessDecoderTest {

  @ParameterizedTest
  @CsvSource({"1,1", "7,3", "1,300", "300,1", "64,65", "128,129"})
  void sixteen_bit_frames_of_any_size_round_trip(int rows, int columns) {
    short[] pixels = runsAndNoise(rows * columns, 0xFFFF, rows + columns);
    byte[] rle = new RleLosslessEncoder().encode(pixels, rows, columns);
    short[] out = new short[pixels.length];
    RleLosslessDecoder.decode(ByteBuffer.wrap(rle), out, 16, "t.dcm");
    assertThat(out).isEqualTo(pixels);
  }

  @ParameterizedTest
  @CsvSource({"1,1", "7,3", "50,51"})
  void eight_bit_frames_round_trip(int rows, int columns) {
    short[] pixels = runsAndNoise(rows * columns, 0xFF, 7);
    short[] out = new short[pixels.length];
    RleLosslessDecoder.decode(ByteBuffer.wrap(eightBit(pixels, columns)), out, 8, "t.dcm");
    assertThat(out).isEqualTo(pixels);
  }

  @Test
  void a_truncated_segment_fails_with_a_coded_error() {
    short[] pixels = runsAndNoise(40 * 40, 0xFFFF, 1);
    byte[] rle = new RleLosslessEncoder().encode(pixels, 40, 40);
    byte[] cut = Arrays.copyOf(rle, rle.length - 200);
    assertFails(cut, pixels.length, 16, "RLE segment 2");
  }

  @Test
  void a_wrong_segment_count_fails_with_a_coded_error() {
    byte[] rle = new RleLosslessEncoder().encode(new short[16], 4, 4);
    assertFails(rle, 16, 8, "1 segments");
  }

  @Test
  void segment_offsets_beyond_the_frame_fail_with_a_coded_error() {
    byte[] rle = new RleLosslessEncoder().encode(new short[16], 4, 4);
    ByteBuffer.wrap(rle).order(ByteOrder.LITTLE_ENDIAN).putInt(8, rle.length + 10);
    assertFails(rle, 16, 16, "offsets");
  }

  @Test
  void a_header_shorter_than_64_bytes_fails_with_a_coded_error() {
    assertFails(new byte[10], 1, 8, "RLE header");
  }

  private static void assertFails(byte[] rle, int samples, int bits, String reason) {
    short[] out = new short[samples];
    assertThatThrownBy(() -> RleLosslessDecoder.decode(ByteBuffer.wrap(rle), out, bits, "bad.dcm"))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DICOM_DECODE_FAILED))
        .hasMessageContaining("bad.dcm")
        .hasMessageContaining(reason);
  }

  /** One segment: PackBits per row, padded to even length, after a 64-byte header. */
  private static byte[] eightBit(short[] pixels, int columns) {
    ByteArrayOutputStream segment = new ByteArrayOutputStream();
    byte[] row = new byte[columns];
    for (int at = 0; at < pixels.length; at += columns) {
      for (int c = 0; c < columns; c++) {
        row[c] = (byte) pixels[at + c];
      }
      RleLosslessEncoder.packBits(row, segment);
    }
    ByteBuffer b = ByteBuffer.allocate(64 + segment.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 1).putInt(4, 64).put(64, segment.toByteArray());
    return b.array();
  }

  /** Runs of repeated values of random length, between stretches of noise. */
  private static short[] runsAndNoise(int n, int max, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    short[] p = new short[n];
    int i = 0;
    while (i < n) {
      int length = Math.min(n - i, 1 + r.nextInt(300));
      boolean run = r.nextBoolean();
      int value = r.nextInt(max + 1);
      for (int k = 0; k < length; k++, i++) {
        p[i] = (short) (run ? value : r.nextInt(max + 1));
      }
    }
    return p;
  }
}
