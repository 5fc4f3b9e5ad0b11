package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class DicomImageReaderTest {
  @TempDir Path dir;
  private final DicomImageReader reader = new DicomImageReader(DicomLimits.defaults());

  private Path image(String name) throws Exception {
    short[] values = new short[64 * 64];
    Arrays.fill(values, (short) 7);
    return TestImages.cr(64, 64, values).write(dir.resolve(name));
  }

  private ErrorCode codeOf(DicomImageReader r, Path file) {
    try {
      r.read(file);
    } catch (CdsException e) {
      assertThat(e.detail()).contains(file.toString());
      return e.code();
    }
    throw new AssertionError("no CdsException for " + file);
  }

  @Test
  void a_written_image_is_read_with_its_stored_values() throws Exception {
    DecodedImage image = reader.read(image("ok.dcm"));
    assertThat(image.pixels().rows()).isEqualTo(64);
    assertThat(image.frames()).hasSize(1);
    assertThat(image.frames().get(0)).hasSize(64 * 64).containsOnly((short) 7);
    assertThat(image.modality()).isEqualTo("CR");
    assertThat(image.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
  }

  @Test
  void a_truncated_file_fails_as_truncated() throws Exception {
    Path file = image("cut.dcm");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
    assertThat(codeOf(reader, file)).isEqualTo(ErrorCode.DICOM_TRUNCATED);
  }

  @Test
  void a_declared_pixel_data_length_larger_than_the_file_fails_before_allocation()
      throws Exception {
    Path file = image("huge.dcm");
    byte[] bytes = Files.readAllBytes(file);
    int at = indexOf(bytes, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0});
    ByteBuffer.wrap(bytes, at + 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFFFFF0);
    Files.write(file, bytes);
    assertThat(codeOf(reader, file)).isEqualTo(ErrorCode.DICOM_TRUNCATED);
  }

  @Test
  void a_structured_report_is_not_an_image() throws Exception {
    Path file =
        TestImages.cr(1, 1, new short[1])
            .sopClass(TestImages.BASIC_TEXT_SR)
            .withoutPixelData()
            .write(dir.resolve("sr.dcm"));
    assertThat(codeOf(reader, file)).isEqualTo(ErrorCode.DICOM_NOT_AN_IMAGE);
  }

  @Test
  void an_image_object_without_pixel_data_is_not_an_image() throws Exception {
    Path file = TestImages.cr(1, 1, new short[1]).withoutPixelData().write(dir.resolve("np.dcm"));
    assertThat(codeOf(reader, file)).isEqualTo(ErrorCode.DICOM_NOT_AN_IMAGE);
  }

  @Test
  void text_is_not_readable_as_dicom() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "This is not DICOM at all.\n");
    assertThat(codeOf(reader, file)).isEqualTo(ErrorCode.DICOM_NOT_READABLE);
  }

  @Test
  void pixel_and_file_size_limits_are_enforced() throws Exception {
    Path file = image("big.dcm");
    assertThat(codeOf(new DicomImageReader(new DicomLimits(1 << 30, 1000)), file))
        .isEqualTo(ErrorCode.DICOM_TOO_LARGE);
    assertThat(codeOf(new DicomImageReader(new DicomLimits(1000, 1 << 20)), file))
        .isEqualTo(ErrorCode.DICOM_TOO_LARGE);
  }

  @Test
  void palette_colour_is_an_unsupported_photometric_interpretation() throws Exception {
    Path file =
        TestImages.cr(2, 2, new short[4]).photometric("PALETTE COLOR").write(dir.resolve("p.dcm"));
    assertThat(codeOf(reader, file)).isEqualTo(ErrorCode.DICOM_UNSUPPORTED_PHOTOMETRIC);
  }

  @Test
  void pixel_data_shorter_than_the_image_is_invalid() throws Exception {
    Path file = TestImages.cr(8, 8, new short[10]).write(dir.resolve("short.dcm"));
    assertThat(codeOf(reader, file)).isEqualTo(ErrorCode.DICOM_PIXEL_DATA_INVALID);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("PixelData header not found");
  }

  @Test
  void a_two_frame_16_bit_image_is_cut_into_frames_in_stored_order() throws Exception {
    short[] values = new short[2 * 3 * 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = (short) (i * 1000 - 7000); // negative and above 32767 as unsigned words
    }
    Path file = TestImages.cr(3, 4, values).frames(2).write(dir.resolve("two.dcm"));
    DecodedImage image = reader.read(file);
    assertThat(image.frames()).hasSize(2);
    assertThat(image.frames().get(0)).containsExactly(Arrays.copyOfRange(values, 0, 12));
    assertThat(image.frames().get(1)).containsExactly(Arrays.copyOfRange(values, 12, 24));
  }
}
