package org.tandemcds.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Request checks done before anything is parsed: the media type, the size (read as a stream and
 * stopped at the limit, whatever Content-Length says) and the nesting depth of JSON.
 */
final class Bodies {
  static final Set<String> FHIR_TYPES =
      Set.of(
          "application/fhir+json", "application/json", "application/fhir+xml", "application/xml");

  /** Most bytes of a refused body read and discarded before answering (see {@link #drain}). */
  static final long DRAIN_BYTES = 8L << 20;

  private Bodies() {}

  /** The media type without parameters, lower case; empty when absent. */
  static String mediaType(Context ctx) {
    String header = ctx.header("Content-Type");
    if (header == null) {
      return "";
    }
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * The body of a FHIR request: a FHIR media type, at most {@code maxBytes}, JSON depth checked.
   */
  static byte[] fhir(Context ctx, long maxBytes, int maxDepth) {
    String type = mediaType(ctx);
    if (!FHIR_TYPES.contains(type)) {
      throw new CdsException(
          ErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE,
          "'" + type + "' here; send application/fhir+json or application/fhir+xml");
    }
    byte[] body = limited(ctx, maxBytes);
    if (type.endsWith("json")) {
      requireDepth(body, maxDepth);
    }
    return body;
  }

  static byte[] limited(Context ctx, long maxBytes) {
    String length = ctx.header("Content-Length");
    if (length != null
        && length.strip().matches("\\d{1,18}")
        && Long.parseLong(length.strip()) > maxBytes) {
      drain(ctx, Long.parseLong(length.strip()));
      throw tooLarge(maxBytes);
    }
    try (InputStream in = ctx.bodyInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16 * 1024];
      long total = 0;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        total += n;
        if (total > maxBytes) {
          skip(in, DRAIN_BYTES);
          throw tooLarge(maxBytes);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "request body could not be read", e);
    }
  }

  /**
   * Fails with {@link ErrorCode#HTTP_JSON_TOO_DEEP} when objects and arrays nest deeper than {@code
   * maxDepth} (counted outside strings), before any parser recurses into them.
   */
  static void requireDepth(byte[] json, int maxDepth) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > maxDepth) {
          throw new CdsException(
              ErrorCode.HTTP_JSON_TOO_DEEP, "JSON nests deeper than " + maxDepth + " levels");
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
  }

  /**
   * Reads and discards a refused body of at most {@value #DRAIN_BYTES} bytes, so that a client
   * still sending it reads the 413 answer instead of a reset connection; a larger one is left for
   * the server to cut off.
   */
  private static void drain(Context ctx, long declared) {
    if (declared > DRAIN_BYTES) {
      return;
    }
    try (InputStream in = ctx.bodyInputStream()) {
      skip(in, DRAIN_BYTES);
    } catch (IOException e) {
      // the answer is a refusal either way; a client that hung up needs no body read
    }
  }

  private static void skip(InputStream in, long atMost) {
    byte[] buffer = new byte[16 * 1024];
    long skipped = 0;
    try {
      for (int n; skipped < atMost && (n = in.read(buffer)) >= 0; ) {
        skipped += n;
      }
    } catch (IOException e) {
      // as in drain: the refusal stands
    }
  }

  static CdsException tooLarge(long maxBytes) {
    return new CdsException(ErrorCode.HTTP_BODY_TOO_LARGE, "body exceeds " + maxBytes + " bytes");
  }
}
