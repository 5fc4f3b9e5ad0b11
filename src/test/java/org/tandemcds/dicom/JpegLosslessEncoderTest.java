package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemcds.samples.DicomImageSpec;

/**
 * JPEG Lossless (Process 14, SV1) written by Tandem is decoded by DCMTK's {@code dcmdjpeg}
 * (IJG-derived, independent of Tandem) and by Tandem's own {@link JpegLosslessDecoder} through
 * {@link DicomImageReader}, and both must give back exactly the stored values.
 */
class JpegLosslessEncoderTest {
  private static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
  private final DicomImageReader reader = new DicomImageReader(DicomLimits.defaults());
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {10, 12, 14, 15, 16})
  void dcmdjpeg_and_tandems_reader_give_back_every_stored_value_of_a_noisy_image(int bits)
      throws Exception {
    short[] pixels = noisyGradient(173, 131, bits, 7L + bits);
    assertRoundTrip(pixels, 173, 131, bits);
  }

  @Test
  void extreme_jumps_including_the_difference_32768_survive_both_decoders() throws Exception {
    int rows = 37;
    int columns = 41;
    short[] pixels = new short[rows * columns];
    SplittableRandom r = new SplittableRandom(3);
    int[] extremes = {0, 65535, 32768, 1, 65534, 32767};
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (short) extremes[r.nextInt(extremes.length)];
    }
    assertRoundTrip(pixels, rows, columns, 16);
  }

  @Test
  void a_flat_image_with_one_difference_category_round_trips() throws Exception {
    assertRoundTrip(new short[64 * 48], 64, 48, 12);
  }

  @Test
  void encoded_frames_have_even_length_and_every_0xff_in_the_scan_is_stuffed_or_a_marker() {
    short[] pixels = noisyGradient(90, 77, 16, 11);
    byte[] jpeg = new JpegLosslessEncoder().encode(pixels, 90, 77, 16);
    assertThat(jpeg.length % 2).isZero();
    int scan = indexOfMarker(jpeg, 0xDA) + 2 + 8;
    int eoi = indexOfMarker(jpeg, 0xD9);
    assertThat(eoi).isGreaterThan(scan);
    for (int i = scan; i < eoi; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF) {
        assertThat(jpeg[i + 1]).as("byte after 0xFF at %d", i).isZero();
      }
    }
  }

  @Test
  void a_noisy_12_bit_image_compresses_below_the_native_16_bit_size() {
    short[] pixels = noisyGradient(256, 256, 12, 5);
    byte[] jpeg = new JpegLosslessEncoder().encode(pixels, 256, 256, 12);
    // sigma 12 noise costs about log2(12 * sqrt(2 pi e)) + 1 = 6.6 bits a pixel: well under 16
    assertThat(jpeg.length * 8.0 / pixels.length).isBetween(5.0, 9.0);
  }

  private void assertRoundTrip(short[] pixels, int rows, int columns, int bits) throws Exception {
    Path file = dir.resolve("jpeg-" + bits + ".dcm");
    new SyntheticImageWriter().write(spec(pixels, rows, columns, bits), file);
    DecodedImage pixelmed = reader.read(file);
    assertThat(pixelmed.transferSyntaxUid()).isEqualTo(JPEG_LOSSLESS_SV1);
    assertThat(pixelmed.frames().get(0)).isEqualTo(pixels);
    Path plain = dir.resolve("plain-" + bits + ".dcm");
    Process p =
        new ProcessBuilder("dcmdjpeg", file.toString(), plain.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("dcmdjpeg: " + out).isZero();
    DecodedImage dcmtk = reader.read(plain);
    assertThat(dcmtk.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
    assertThat(dcmtk.frames().get(0)).isEqualTo(pixels);
  }

  private static int indexOfMarker(byte[] b, int code) {
    for (int i = 0; i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == code) {
        return i;
      }
    }
    return -1;
  }

  /** A diagonal ramp over the full range plus Gaussian noise of sigma 12, clipped to P bits. */
  static short[] noisyGradient(int rows, int columns, int bits, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int max = (1 << bits) - 1;
    short[] p = new short[rows * columns];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < columns; x++) {
        double ramp = max * (x + y) / (double) (rows + columns - 2);
        long v = Math.round(ramp + 12 * r.nextGaussian());
        p[y * columns + x] = (short) Math.max(0, Math.min(max, v));
      }
    }
    return p;
  }

  private static DicomImageSpec spec(short[] pixels, int rows, int columns, int bits) {
    Map<String, String> a = new HashMap<>();
    a.put("StudyInstanceUID", "1.2.3.100");
    a.put("SeriesInstanceUID", "1.2.3.100.1");
    a.put("Modality", "CR");
    return new DicomImageSpec(
        "1.2.840.10008.5.1.4.1.1.1",
        "1.2.3.100.1.1",
        JPEG_LOSSLESS_SV1,
        rows,
        columns,
        bits,
        "MONOCHROME2",
        pixels,
        a);
  }
}
