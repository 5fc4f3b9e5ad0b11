package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class MultipartRelatedTest {

  /** Delivers at most {@code chunk} bytes per read, as a slow network would. */
  private static InputStream trickle(byte[] bytes, int chunk) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  private static List<byte[]> parts(byte[] body, String boundary, int chunk, long max)
      throws IOException {
    MultipartRelated parts = new MultipartRelated(trickle(body, chunk), boundary, max);
    List<byte[]> read = new ArrayList<>();
    while (parts.next()) {
      read.add(parts.body().readAllBytes());
    }
    return read;
  }

  private static byte[] body(String boundary, String preamble, byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
    for (byte[] part : parts) {
      out.writeBytes(
          ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(part);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void binary_parts_come_back_byte_for_byte_whatever_the_read_sizes() throws IOException {
    Random random = new Random(7);
    byte[] big = new byte[700_000];
    random.nextBytes(big);
    // Near-delimiters inside the data: CR LF and dashes with a boundary prefix.
    byte[] tricky = "\r\n--bound\r\n-\r\n--boun".getBytes(StandardCharsets.US_ASCII);
    byte[] empty = new byte[0];
    byte[] body = body("boundary", "preamble text\r\n", big, tricky, empty);
    for (int chunk : new int[] {1, 7, 8192, 1 << 20}) {
      List<byte[]> parts = parts(body, "boundary", chunk, Long.MAX_VALUE);
      assertThat(parts).hasSize(3);
      assertThat(parts.get(0)).isEqualTo(big);
      assertThat(parts.get(1)).isEqualTo(tricky);
      assertThat(parts.get(2)).isEmpty();
    }
  }

  @Test
  void parts_not_read_by_the_caller_are_skipped() throws IOException {
    byte[] body =
        body(
            "b",
            "",
            "one".getBytes(StandardCharsets.US_ASCII),
            "two".getBytes(StandardCharsets.US_ASCII));
    MultipartRelated parts =
        new MultipartRelated(new ByteArrayInputStream(body), "b", Long.MAX_VALUE);
    assertThat(parts.next()).isTrue();
    assertThat(parts.headers()).containsEntry("content-type", "application/dicom");
    assertThat(parts.next()).isTrue();
    assertThat(parts.body().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("two");
    assertThat(parts.next()).isFalse();
  }

  @Test
  void a_body_without_its_close_delimiter_or_over_the_limit_is_refused() {
    byte[] open =
        "--b\r\nContent-Type: application/dicom\r\n\r\nno end".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> parts(open, "b", 3, Long.MAX_VALUE))
        .isInstanceOf(CdsException.class)
        .satisfies(
            e ->
                assertThat(((CdsException) e).code())
                    .isEqualTo(ErrorCode.HTTP_MULTIPART_MALFORMED));
    byte[] body = body("b", "", new byte[10_000]);
    assertThatThrownBy(() -> parts(body, "b", 1000, 5_000))
        .isInstanceOf(CdsException.class)
        .satisfies(
            e -> assertThat(((CdsException) e).code()).isEqualTo(ErrorCode.HTTP_BODY_TOO_LARGE));
  }

  @Test
  void the_boundary_is_read_quoted_or_not() {
    assertThat(
            MultipartRelated.boundary(
                "multipart/related; type=\"application/dicom\"; boundary=\"a b:c\""))
        .isEqualTo("a b:c");
    assertThat(MultipartRelated.boundary("multipart/related;boundary=xyz;type=application/dicom"))
        .isEqualTo("xyz");
    assertThatThrownBy(() -> MultipartRelated.boundary("multipart/related; type=application/dicom"))
        .isInstanceOf(CdsException.class);
  }
}
