package org.tandemcds.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.dicom.DicomLimits;
import org.tandemcds.dicom.TestImages;
import org.tandemcds.domain.Frame;

/**
 * Exact pixel expectations on images written with PixelMed, read back through the real reader. The
 * expected values are worked out by hand from the PS3.3 C.11.2.1.2 formulas (arithmetic in the
 * comments); tolerance 1e-6 (float output).
 */
class PixelNormaliserTest {
  private static final double EPS = 1e-6;
  @TempDir Path dir;
  private final DicomImageReader reader = new DicomImageReader(DicomLimits.defaults());
  private final PixelNormaliser normaliser = new PixelNormaliser(0.5, 99.5);

  private List<Frame> read(TestImages image) throws Exception {
    return normaliser.normalise(reader.read(image.write(dir.resolve("i.dcm"))));
  }

  private static short[] s(int... values) {
    short[] out = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (short) values[i];
    }
    return out;
  }

  // Modality: 2x - 100 -> -100, 100, 300, 500, 700, 1900. LINEAR c=400 w=801: below
  // c-0.5-(w-1)/2 = -0.5 -> 0, above 399.5+400 = 799.5 -> 1, else (x-399.5)/800+0.5.
  private static final double[] LINEAR_EXPECTED = {0, 0.125625, 0.375625, 0.625625, 0.875625, 1};

  @Test
  void rescale_then_linear_window_follows_the_dicom_formula() throws Exception {
    TestImages image =
        TestImages.cr(2, 3, s(0, 100, 200, 300, 400, 1000)).rescale(2, -100).window(400, 801, null);
    float[] pixels = read(image).get(0).pixels();
    for (int i = 0; i < 6; i++) {
      assertThat((double) pixels[i]).isCloseTo(LINEAR_EXPECTED[i], within(EPS));
    }
  }

  @Test
  void monochrome1_is_inverted_after_windowing() throws Exception {
    TestImages image =
        TestImages.cr(2, 3, s(0, 100, 200, 300, 400, 1000))
            .rescale(2, -100)
            .window(400, 801, "LINEAR")
            .photometric("MONOCHROME1");
    float[] pixels = read(image).get(0).pixels();
    for (int i = 0; i < 6; i++) {
      assertThat((double) pixels[i]).isCloseTo(1 - LINEAR_EXPECTED[i], within(EPS));
    }
  }

  @Test
  void signed_16_bit_values_are_windowed_with_linear_exact() throws Exception {
    // LINEAR_EXACT c=0 w=2000: x <= -1000 -> 0, x > 1000 -> 1, else x/2000 + 0.5.
    TestImages image =
        TestImages.cr(1, 6, s(-32768, -1000, -500, 0, 1000, 32767))
            .bits(16, 16, 15, 1)
            .window(0, 2000, "LINEAR_EXACT");
    assertThat(read(image).get(0).pixels()).containsExactly(0f, 0f, 0.25f, 0.5f, 1f, 1f);
  }

  @Test
  void twelve_bits_stored_ignore_garbage_in_the_high_bits() throws Exception {
    // stored 0, 2048, 4095 with 0xA000/0xF000/0x5000 above bit 11. LINEAR_EXACT c=2048 w=4096:
    // 0 -> 0; 2048 -> 0.5; 4095 -> 2047/4096 + 0.5 = 0.999755859375.
    TestImages image =
        TestImages.cr(1, 3, s(0xA000, 0xF000 | 2048, 0x5000 | 4095))
            .bits(16, 12, 11, 0)
            .window(2048, 4096, "LINEAR_EXACT");
    float[] pixels = read(image).get(0).pixels();
    assertThat(pixels[0]).isEqualTo(0f);
    assertThat(pixels[1]).isEqualTo(0.5f);
    assertThat((double) pixels[2]).isCloseTo(0.999755859375, within(EPS));
  }

  @Test
  void signed_12_bit_values_are_sign_extended_from_bit_11() throws Exception {
    // 0x0FFF is -1, 0x0800 is -2048, 0x07FF is 2047 (high nibble is garbage).
    // LINEAR_EXACT c=0 w=4096: -2048 -> 0, -1 -> -1/4096 + 0.5, 2047 -> 2047/4096 + 0.5.
    TestImages image =
        TestImages.cr(1, 3, s(0xF000 | 0x0800, 0x3000 | 0x0FFF, 0x9000 | 0x07FF))
            .bits(16, 12, 11, 1)
            .window(0, 4096, "LINEAR_EXACT");
    float[] pixels = read(image).get(0).pixels();
    assertThat(pixels[0]).isEqualTo(0f);
    assertThat((double) pixels[1]).isCloseTo(0.5 - 1 / 4096.0, within(EPS));
    assertThat((double) pixels[2]).isCloseTo(0.5 + 2047 / 4096.0, within(EPS));
  }

  @Test
  void sigmoid_window_follows_the_dicom_formula() throws Exception {
    // SIGMOID c=100 w=40: y = 1 / (1 + exp(-4 (x - c) / w)); x=100 -> 0.5, x=110 -> 1/(1+e^-1).
    TestImages image = TestImages.cr(1, 2, s(100, 110)).window(100, 40, "SIGMOID");
    float[] pixels = read(image).get(0).pixels();
    assertThat((double) pixels[0]).isCloseTo(0.5, within(EPS));
    assertThat((double) pixels[1]).isCloseTo(0.7310585786300049, within(EPS));
  }

  @Test
  void voi_lut_sequence_maps_values_through_the_table() throws Exception {
    // 4 entries from 10, 8 bits: 0, 51, 102, 255 -> /255 = 0, 0.2, 0.4, 1; below 10 -> first,
    // above 13 -> last.
    TestImages image =
        TestImages.cr(1, 6, s(5, 10, 11, 12, 13, 20)).voiLut(4, 10, 8, s(0, 51, 102, 255));
    float[] pixels = read(image).get(0).pixels();
    double[] expected = {0, 0, 0.2, 0.4, 1, 1};
    for (int i = 0; i < 6; i++) {
      assertThat((double) pixels[i]).isCloseTo(expected[i], within(EPS));
    }
  }

  @Test
  void percentile_window_is_used_when_the_image_gives_no_voi() throws Exception {
    // 200 values 0..199: 0.5 % nearest rank = ceil(1.0) = 1st -> 0; 99.5 % = ceil(199.0) = 199th
    // -> 198. y = x / 198, clamped.
    short[] values = new short[200];
    for (int i = 0; i < 200; i++) {
      values[i] = (short) i;
    }
    float[] pixels = read(TestImages.cr(10, 20, values)).get(0).pixels();
    assertThat(pixels[0]).isEqualTo(0f);
    assertThat((double) pixels[99]).isCloseTo(99 / 198.0, within(EPS));
    assertThat(pixels[198]).isEqualTo(1f);
    assertThat(pixels[199]).isEqualTo(1f);
  }

  @Test
  void every_frame_of_a_multi_frame_image_is_normalised_in_order() throws Exception {
    // LINEAR_EXACT c=50 w=100: y = x / 100.
    TestImages image =
        TestImages.cr(2, 2, s(0, 10, 20, 30, 40, 50, 60, 100))
            .frames(2)
            .window(50, 100, "LINEAR_EXACT");
    List<Frame> frames = read(image);
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).pixels()).containsExactly(0f, 0.1f, 0.2f, 0.3f);
    assertThat(frames.get(1).pixels()).containsExactly(0.4f, 0.5f, 0.6f, 1f);
    assertThat(frames.get(1).rows()).isEqualTo(2);
  }

  @Test
  void eight_bit_values_are_read_from_ob_pixel_data() throws Exception {
    // LINEAR_EXACT c=128 w=256: y = x / 256.
    TestImages image =
        TestImages.cr(1, 4, s(0, 0, 0, 0))
            .bytes(new byte[] {0, 64, (byte) 128, (byte) 192})
            .window(128, 256, "LINEAR_EXACT");
    assertThat(read(image).get(0).pixels()).containsExactly(0f, 0.25f, 0.5f, 0.75f);
  }
}
