package org.tandemcds.dicom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/** UIDs under the {@code 2.25.} root: the UUID as one unsigned decimal integer (PS3.5 B.2). */
final class Uids {
  private Uids() {}

  static String of(UUID uuid) {
    byte[] bytes =
        ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits())
            .array();
    return "2.25." + new BigInteger(1, bytes);
  }

  /** A new, random UID. */
  static String random() {
    return of(UUID.randomUUID());
  }
}
