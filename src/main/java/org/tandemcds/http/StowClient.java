package org.tandemcds.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A DICOMweb STOW-RS request (PS3.18 10.5) for {@code java.net.http}: the instances as one {@code
 * multipart/related; type="application/dicom"} body streamed from disk. Tandem receives STOW-RS and
 * never sends it; this is the sender its benchmarks and tests use.
 */
public final class StowClient {
  private StowClient() {}

  /** {@code POST <base>/dicomweb/studies} with {@code files}, one part each. */
  public static HttpRequest.Builder request(String base, List<Path> files) {
    String boundary = "tandem-" + UUID.randomUUID();
    return HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies"))
        .header(
            "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
        .header("Accept", "application/dicom+json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> multipart(files, boundary)));
  }

  /** The multipart/related body of {@code files}, read as it is sent. */
  static InputStream multipart(List<Path> files, String boundary) {
    List<InputStream> parts = new ArrayList<>();
    try {
      for (Path file : files) {
        parts.add(ascii("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n"));
        parts.add(Files.newInputStream(file));
        parts.add(ascii("\r\n"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    parts.add(ascii("--" + boundary + "--\r\n"));
    return new SequenceInputStream(Collections.enumeration(parts));
  }

  private static InputStream ascii(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }
}
