package org.tandemcds.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** sha256 of files and streams as lower-case hex. Stateless. */
public final class Sha256 {
  private Sha256() {}

  /**
   * The sha256 of a file.
   *
   * @throws CdsException {@link ErrorCode#IO_FAILURE} when the file cannot be read
   */
  public static String of(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot read " + file, e);
    }
  }

  /** The sha256 of everything left in a stream; does not close it. */
  public static String of(InputStream in) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[1 << 16];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new CdsException(ErrorCode.INTERNAL, "JVM has no SHA-256", e);
    }
  }
}
