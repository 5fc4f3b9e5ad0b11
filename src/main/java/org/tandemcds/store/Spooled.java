package org.tandemcds.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** Bytes streamed to a spool file, with their size and sha256 (lower-case hex). */
record Spooled(long size, String sha256) {

  /**
   * Copies {@code in} to a new file {@code part}, hashing on the way, and forces it to disk once at
   * the end (one fsync, not one per buffer); at most {@code maxBytes} ({@link
   * ErrorCode#DICOM_TOO_LARGE} beyond).
   */
  static Spooled write(InputStream in, Path part, long maxBytes) throws IOException {
    MessageDigest sha256 = newDigest();
    long size;
    try (FileChannel channel =
            FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), sha256)) {
      size = copy(in, out, maxBytes);
      channel.force(true);
    }
    return new Spooled(size, HexFormat.of().formatHex(sha256.digest()));
  }

  /** The size and sha256 of bytes already in memory. */
  static Spooled of(byte[] bytes) {
    return new Spooled(bytes.length, HexFormat.of().formatHex(newDigest().digest(bytes)));
  }

  private static long copy(InputStream in, OutputStream out, long maxBytes) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      total += n;
      if (total > maxBytes) {
        throw new CdsException(
            ErrorCode.DICOM_TOO_LARGE, "instance exceeds " + maxBytes + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return total;
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new CdsException(ErrorCode.INTERNAL, "SHA-256 is not available", e);
    }
  }
}
