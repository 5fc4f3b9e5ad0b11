package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DisplayFrameTest {

  private static DecodedImage image(
      String photometric,
      int bitsStored,
      int pixelRepresentation,
      double slope,
      double intercept,
      double[] centers,
      double[] widths,
      short[] frame) {
    PixelDescription p =
        new PixelDescription(
            1,
            frame.length,
            1,
            1,
            0,
            photometric,
            16,
            bitsStored,
            bitsStored - 1,
            pixelRepresentation,
            slope,
            intercept,
            centers,
            widths,
            "",
            Optional.empty());
    return new DecodedImage(
        "",
        "",
        "",
        "",
        "",
        "1.2",
        "",
        "",
        "",
        "1.2.1",
        "",
        "",
        "1.2.1.1",
        "",
        "",
        "CR",
        "",
        "",
        "",
        "1.2.840.10008.1.2.1",
        p,
        List.of(frame),
        "test");
  }

  /** Independent expectation: linear map of [min, max] onto [0, 65535], rounded. */
  private static int expected(double m, double min, double max) {
    return (int) Math.round((m - min) * 65535 / (max - min));
  }

  @Test
  void signed_values_are_sign_extended_rescaled_and_mapped_onto_the_full_16_bit_range() {
    short[] stored = {0x0800, 0x0FFF, 0x0000, 0x07FF, (short) 0xF123};
    // 12-bit two's complement: -2048, -1, 0, 2047, and 0x123 = 291 (bits above 12 ignored)
    double[] modality = {-2048 * 2 - 100, -1 * 2 - 100, -100, 2047 * 2 - 100, 291 * 2 - 100};
    DisplayFrame f =
        DisplayFrame.of(
            image("MONOCHROME2", 12, 1, 2, -100, new double[] {0}, new double[] {400}, stored), 0);
    double min = -4196;
    double max = 3994;
    for (int i = 0; i < stored.length; i++) {
      assertThat(f.values()[i] & 0xFFFF).isEqualTo(expected(modality[i], min, max));
    }
    assertThat(f.offset()).isEqualTo(min);
    assertThat(f.scale()).isCloseTo((max - min) / 65535, within(1e-12));
    assertThat(f.inverted()).isFalse();
    assertThat(f.windowCenter()).isCloseTo((0 - min) * 65535 / (max - min), within(1e-6));
    assertThat(f.windowWidth()).isCloseTo(400 * 65535 / (max - min), within(1e-6));
  }

  @Test
  void monochrome1_is_flipped_so_that_higher_display_values_are_brighter() {
    short[] stored = {0, 1000, 4000};
    DisplayFrame f =
        DisplayFrame.of(
            image("MONOCHROME1", 12, 0, 1, 0, new double[] {1000}, new double[] {2000}, stored), 0);
    assertThat(f.values()[0] & 0xFFFF).isEqualTo(65535);
    assertThat(f.values()[1] & 0xFFFF).isEqualTo(65535 - expected(1000, 0, 4000));
    assertThat(f.values()[2] & 0xFFFF).isZero();
    assertThat(f.inverted()).isTrue();
    assertThat(f.windowCenter()).isCloseTo(65535 - 1000 * 65535 / 4000.0, within(1e-6));
  }

  @Test
  void without_a_window_in_the_file_the_default_spans_the_1st_to_99th_percentile() {
    short[] stored = new short[100];
    for (int i = 0; i < 100; i++) {
      stored[i] = (short) i;
    }
    DisplayFrame f =
        DisplayFrame.of(image("MONOCHROME2", 16, 0, 1, 0, new double[0], new double[0], stored), 0);
    // 1 % of 100 pixels: the first value (0); 99 %: the 99th value (98)
    int low = 0;
    int high = expected(98, 0, 99);
    assertThat(f.windowCenter()).isEqualTo((low + high) / 2.0);
    assertThat(f.windowWidth()).isEqualTo(high - low);
  }

  @Test
  void display_values_go_out_little_endian() {
    DisplayFrame f =
        new DisplayFrame(1, 2, new short[] {0x1234, (short) 0xFFFE}, 0, 1, false, 0, 1);
    assertThat(f.littleEndian()).containsExactly(0x34, 0x12, 0xFE, 0xFF);
  }
}
