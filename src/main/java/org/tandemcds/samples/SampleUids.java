package org.tandemcds.samples;

import java.math.BigInteger;

/** Deterministic UIDs under the {@code 2.25.} root (PS3.5 B.2), from seed, index and purpose. */
final class SampleUids {
  private SampleUids() {}

  static String uid(long seed, int index, String purpose) {
    Rng rng = new Rng(seed, index, "uid:" + purpose);
    long hi = (rng.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
    long lo = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    BigInteger v =
        new BigInteger(Long.toUnsignedString(hi))
            .shiftLeft(64)
            .or(new BigInteger(Long.toUnsignedString(lo)));
    return "2.25." + v;
  }
}
