package org.tandemcds.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Streams the parts of a {@code multipart/related} body (RFC 2387 / RFC 2046) one at a time, never
 * holding more than one buffer of it: {@link #next} moves to the next part and reads its headers,
 * {@link #body} reads that part's bytes up to the next delimiter. Counts every byte read and stops
 * at {@code maxBytes} ({@link ErrorCode#HTTP_BODY_TOO_LARGE}); a body that ends without its close
 * delimiter is {@link ErrorCode#HTTP_MULTIPART_MALFORMED}. Not thread-safe.
 */
final class MultipartRelated {
  private static final int BUFFER = 256 * 1024;
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final InputStream in;
  private final byte[] delimiter;
  private final long maxBytes;
  private final byte[] buf;
  private int pos;
  private int limit;
  private long total;
  private boolean eof;
  private boolean started;
  private boolean partOpen;
  private boolean finished;
  private Map<String, String> headers = Map.of();

  MultipartRelated(InputStream in, String boundary, long maxBytes) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    this.maxBytes = maxBytes;
    this.buf = new byte[BUFFER + delimiter.length];
    // The first delimiter may open the body without a preceding CRLF: read as if one came first.
    buf[0] = '\r';
    buf[1] = '\n';
    limit = 2;
  }

  /** The boundary parameter of a Content-Type header value, unquoted. */
  static String boundary(String contentType) {
    for (String parameter : contentType.split(";")) {
      String p = parameter.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String value = p.substring("boundary=".length()).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (!value.isEmpty() && value.length() <= 70) {
          return value;
        }
      }
    }
    throw malformed("Content-Type has no valid boundary parameter");
  }

  /** The value of parameter {@code name} of a header value, unquoted, or empty. */
  static String parameter(String headerValue, String name) {
    for (String parameter : headerValue.split(";")) {
      String p = parameter.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith(name + "=")) {
        String value = p.substring(name.length() + 1).strip();
        return value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
            ? value.substring(1, value.length() - 1)
            : value;
      }
    }
    return "";
  }

  /** Moves to the next part; false after the close delimiter. Skips what is left of the last. */
  boolean next() throws IOException {
    if (finished) {
      return false;
    }
    skipRestOfPart();
    // After a delimiter: "--" closes the body, else transport padding and CRLF open a part.
    require(2);
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      finished = true;
      return false;
    }
    String line = readLine();
    if (!line.isBlank()) {
      throw malformed("unexpected text after a boundary");
    }
    headers = readHeaders();
    partOpen = true;
    return true;
  }

  /** The current part's headers, names in lower case. */
  Map<String, String> headers() {
    return headers;
  }

  /** The current part's body; reading it to its end moves past the part's closing delimiter. */
  InputStream body() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return readBody(b, off, len);
      }
    };
  }

  private void skipRestOfPart() throws IOException {
    if (!started) {
      // The preamble reads like the body of a part before the first delimiter.
      started = true;
      partOpen = true;
    }
    byte[] scratch = new byte[8192];
    while (readBody(scratch, 0, scratch.length) >= 0) {
      // discard
    }
  }

  private int readBody(byte[] out, int off, int len) throws IOException {
    if (!partOpen) {
      return -1;
    }
    while (true) {
      int found = indexOfDelimiter();
      if (found == pos) {
        pos += delimiter.length;
        partOpen = false;
        return -1;
      }
      int available = found >= 0 ? found - pos : limit - pos - (delimiter.length - 1);
      if (available > 0) {
        int n = Math.min(available, len);
        System.arraycopy(buf, pos, out, off, n);
        pos += n;
        return n;
      }
      if (eof) {
        throw malformed("body ends without its close delimiter");
      }
      fill();
    }
  }

  private int indexOfDelimiter() {
    byte first = delimiter[0];
    int last = limit - delimiter.length;
    outer:
    for (int i = pos; i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> read = new HashMap<>();
    int bytes = 0;
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      bytes += line.length();
      if (bytes > MAX_HEADER_BYTES) {
        throw malformed("part headers exceed " + MAX_HEADER_BYTES + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformed("part header line without a name");
      }
      read.put(
          line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    return read;
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      require(1);
      byte b = buf[pos++];
      if (b == '\n') {
        int length = line.length();
        return length > 0 && line.charAt(length - 1) == '\r'
            ? line.substring(0, length - 1)
            : line.toString();
      }
      if (line.length() > MAX_HEADER_BYTES) {
        throw malformed("part header line too long");
      }
      line.append((char) (b & 0xff));
    }
  }

  private void require(int bytes) throws IOException {
    while (limit - pos < bytes) {
      if (eof) {
        throw malformed("body ends inside a part header");
      }
      fill();
    }
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return;
    }
    total += n;
    if (total > maxBytes) {
      throw Bodies.tooLarge(maxBytes);
    }
    limit += n;
  }

  private static CdsException malformed(String detail) {
    return new CdsException(ErrorCode.HTTP_MULTIPART_MALFORMED, detail);
  }
}
