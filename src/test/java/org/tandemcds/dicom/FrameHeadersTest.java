package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class FrameHeadersTest {
  private static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
  private static final String JPEG2000_LOSSLESS = "1.2.840.10008.1.2.4.90";

  @TempDir Path dir;
  private final DicomImageReader reader = new DicomImageReader(DicomLimits.defaults());

  /** SOI, an APP0 segment of 16 bytes, then SOF3 (lossless) and the start of a scan. */
  static byte[] jpeg(int rows, int columns, int components, int precision) {
    ByteBuffer b = ByteBuffer.allocate(2 + 18 + 10 + 3 * components + 4);
    b.putShort((short) 0xFFD8).putShort((short) 0xFFE0).putShort((short) 16).put(new byte[14]);
    b.putShort((short) 0xFFC3).putShort((short) (8 + 3 * components)).put((byte) precision);
    b.putShort((short) rows).putShort((short) columns).put((byte) components);
    for (int c = 0; c < components; c++) {
      b.put((byte) (c + 1)).put((byte) 0x11).put((byte) 0);
    }
    return b.putShort((short) 0xFFDA).putShort((short) 2).array();
  }

  /** SOC and a SIZ segment for one component, as a J2K codestream starts. */
  static byte[] j2k(long rows, long columns, int precision) {
    ByteBuffer b = ByteBuffer.allocate(4 + 41 + 2);
    b.putShort((short) 0xFF4F).putShort((short) 0xFF51).putShort((short) 41).putShort((short) 0);
    b.putInt((int) columns).putInt((int) rows).putInt(0).putInt(0);
    b.putInt((int) columns).putInt((int) rows).putInt(0).putInt(0);
    b.putShort((short) 1).put((byte) (precision - 1)).put((byte) 1).put((byte) 1);
    return b.putShort((short) 0xFF90).array();
  }

  private Path file(String syntax, byte[] fragment) throws Exception {
    return TestImages.cr(8, 8, new short[64])
        .encapsulated(syntax, fragment)
        .write(dir.resolve("crafted.dcm"));
  }

  private CdsException refusal(Path file) {
    try {
      reader.read(file);
    } catch (CdsException e) {
      return e;
    }
    throw new AssertionError("no CdsException for " + file);
  }

  @Test
  void a_jpeg_sof_after_an_app_segment_gives_its_declared_size() {
    FrameHeaders.Declared d =
        FrameHeaders.sof(ByteBuffer.wrap(jpeg(300, 200, 1, 12))).orElseThrow();
    assertThat(d).isEqualTo(new FrameHeaders.Declared("JPEG SOF3", 300, 200, 1, 12));
  }

  @Test
  void a_j2k_siz_gives_its_declared_size() {
    FrameHeaders.Declared d = FrameHeaders.siz(ByteBuffer.wrap(j2k(300, 200, 14))).orElseThrow();
    assertThat(d).isEqualTo(new FrameHeaders.Declared("J2K SIZ", 300, 200, 1, 14));
  }

  @Test
  void a_stream_with_scan_data_before_any_frame_header_has_no_sof() {
    byte[] noFrame = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2};
    assertThat(FrameHeaders.sof(ByteBuffer.wrap(noFrame))).isEmpty();
  }

  @Test
  void a_jpeg_frame_declaring_huge_dimensions_is_refused_before_decoding() throws Exception {
    Path file = file(JPEG_LOSSLESS_SV1, jpeg(65535, 65535, 1, 16));
    CdsException e = refusal(file);
    assertThat(e.code()).isEqualTo(ErrorCode.DICOM_PIXEL_DATA_INVALID);
    assertThat(e.detail())
        .isEqualTo(
            file
                + ": fragment 1 JPEG SOF3 declares 65535 × 65535 × 1 components × 16 bits;"
                + " Rows 8, Columns 8, SamplesPerPixel 1, BitsAllocated 16");
  }

  @Test
  void a_jpeg_frame_with_more_bits_than_allocated_is_refused() throws Exception {
    TestImages image = TestImages.cr(8, 8, new short[64]).bytes(new byte[64]);
    Path file =
        image.encapsulated(JPEG_LOSSLESS_SV1, jpeg(8, 8, 1, 12)).write(dir.resolve("bits.dcm"));
    assertThat(refusal(file).detail()).contains("× 12 bits;").contains("BitsAllocated 8");
  }

  @Test
  void a_j2k_frame_one_column_wider_than_columns_is_refused_before_decoding() throws Exception {
    Path file = file(JPEG2000_LOSSLESS, j2k(8, 9, 16));
    CdsException e = refusal(file);
    assertThat(e.code()).isEqualTo(ErrorCode.DICOM_PIXEL_DATA_INVALID);
    assertThat(e.detail()).contains("fragment 1 J2K SIZ declares 8 × 9 × 1 components × 16 bits");
  }

  @Test
  void a_j2k_frame_with_a_huge_siz_is_refused_before_decoding() throws Exception {
    Path file = file(JPEG2000_LOSSLESS, j2k(0xFFFFFFF0L, 0xFFFFFFF0L, 16));
    CdsException e = refusal(file);
    assertThat(e.code()).isEqualTo(ErrorCode.DICOM_PIXEL_DATA_INVALID);
    assertThat(e.detail()).contains("J2K SIZ declares 2147483647 × 2147483647");
  }

  @Test
  void a_first_fragment_without_a_frame_header_fails_to_decode() throws Exception {
    Path file = file(JPEG_LOSSLESS_SV1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    CdsException e = refusal(file);
    assertThat(e.code()).isEqualTo(ErrorCode.DICOM_DECODE_FAILED);
    assertThat(e.detail()).isEqualTo(file + ": first fragment has no readable JPEG SOF");
  }

  @Test
  void a_jp2_file_in_the_fragment_is_refused_rather_than_decoded() throws Exception {
    byte[] jp2 = {0, 0, 0, 12, 'j', 'P', ' ', ' ', 13, 10, (byte) 0x87, 10};
    Path file = file(JPEG2000_LOSSLESS, jp2);
    CdsException e = refusal(file);
    assertThat(e.code()).isEqualTo(ErrorCode.DICOM_DECODE_FAILED);
    assertThat(e.detail())
        .isEqualTo(file + ": first fragment is a JP2 file, not a bare JPEG 2000 codestream");
  }

  @Test
  void a_header_matching_the_attributes_passes_the_check() {
    PixelDescription p = pixels();
    FrameHeaders.compare(new FrameHeaders.Declared("JPEG SOF3", 8, 8, 1, 16), p, "f", 1);
    assertThatThrownBy(
            () ->
                FrameHeaders.compare(
                    new FrameHeaders.Declared("JPEG SOF3", 9, 8, 1, 16), p, "f", 1))
        .isInstanceOf(CdsException.class);
  }

  private static PixelDescription pixels() {
    return new PixelDescription(
        8,
        8,
        1,
        1,
        0,
        "MONOCHROME2",
        16,
        16,
        15,
        0,
        1,
        0,
        new double[0],
        new double[0],
        "LINEAR",
        java.util.Optional.empty());
  }
}
