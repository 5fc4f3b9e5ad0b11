package org.tandemcds.dicom;

import java.util.Map;
import java.util.Set;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** Which transfer syntaxes Tandem reads, and which of those carry encapsulated PixelData. */
final class TransferSyntaxes {
  private static final Set<String> NATIVE =
      Set.of(
          ElementScanner.IMPLICIT_LE,
          ElementScanner.EXPLICIT_LE,
          ElementScanner.DEFLATED_LE,
          ElementScanner.EXPLICIT_BE);
  private static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
  private static final Map<String, String> DECODABLE =
      Map.of(
          "1.2.840.10008.1.2.4.50",
          "JPEG Baseline",
          JPEG_EXTENDED,
          "JPEG Extended",
          "1.2.840.10008.1.2.4.57",
          "JPEG Lossless",
          "1.2.840.10008.1.2.4.70",
          "JPEG Lossless SV1",
          "1.2.840.10008.1.2.4.90",
          "JPEG 2000 Lossless",
          "1.2.840.10008.1.2.4.91",
          "JPEG 2000",
          "1.2.840.10008.1.2.5",
          "RLE Lossless");
  private static final Map<String, String> KNOWN_UNDECODABLE =
      Map.of(
          "1.2.840.10008.1.2.4.80", "JPEG-LS Lossless",
          "1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless",
          "1.2.840.10008.1.2.4.201", "HTJ2K Lossless",
          "1.2.840.10008.1.2.4.202", "HTJ2K Lossless RPCL",
          "1.2.840.10008.1.2.4.203", "HTJ2K");

  private TransferSyntaxes() {}

  static boolean isEncapsulated(String uid) {
    return !NATIVE.contains(uid);
  }

  /**
   * Fails with {@code DICOM_UNSUPPORTED_TRANSFER_SYNTAX} unless the syntax can be decoded here: no
   * pure-Java JPEG-LS decoder is available from Maven Central or Debian, and the JDK's JPEG reader
   * decodes only 8-bit DCT (so JPEG Extended with more than 8 bits stored is refused).
   */
  static void checkDecodable(String uid, PixelDescription p, String file) {
    if (NATIVE.contains(uid)) {
      return;
    }
    if (!DECODABLE.containsKey(uid)) {
      String name = KNOWN_UNDECODABLE.getOrDefault(uid, "an unknown or video transfer syntax");
      throw unsupported(file, uid + " (" + name + ")");
    }
    if (JPEG_EXTENDED.equals(uid) && p.bitsStored() > 8) {
      throw unsupported(file, uid + " (JPEG Extended, 12-bit DCT: the JDK reader decodes 8 bits)");
    }
  }

  private static CdsException unsupported(String file, String what) {
    return new CdsException(ErrorCode.DICOM_UNSUPPORTED_TRANSFER_SYNTAX, file + ": " + what);
  }
}
