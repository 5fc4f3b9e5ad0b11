package org.tandemcds.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** A plain HTTP client for the tests (java.net.http), on loopback. */
final class Client {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  Client(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  String base() {
    return base;
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> fhir(String path, byte[] body, String... headers) {
    return post(path, "application/fhir+json", body, headers);
  }

  /** STOW-RS of {@code files} in one multipart/related request, streamed from disk. */
  HttpResponse<String> stow(List<Path> files) {
    String boundary = "tandem-" + UUID.randomUUID();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies"))
            .header(
                "Content-Type",
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
            .header("Accept", "application/dicom+json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> multipart(files, boundary)));
    return send(request);
  }

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

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
