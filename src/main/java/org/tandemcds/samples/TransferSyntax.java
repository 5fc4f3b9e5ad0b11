package org.tandemcds.samples;

import java.util.Arrays;
import java.util.Locale;

/** The transfer syntaxes the generator writes, by their command-line names. */
public enum TransferSyntax {
  IMPLICIT_LE("implicit-le", "1.2.840.10008.1.2"),
  EXPLICIT_LE("explicit-le", "1.2.840.10008.1.2.1"),
  DEFLATED_LE("deflated-le", "1.2.840.10008.1.2.1.99"),
  EXPLICIT_BE("explicit-be", "1.2.840.10008.1.2.2"),
  RLE("rle", "1.2.840.10008.1.2.5"),
  JPEG_LOSSLESS("jpeg-lossless", "1.2.840.10008.1.2.4.70");

  private final String cliName;
  private final String uid;

  TransferSyntax(String cliName, String uid) {
    this.cliName = cliName;
    this.uid = uid;
  }

  public String cliName() {
    return cliName;
  }

  public String uid() {
    return uid;
  }

  /** The syntax named {@code name} (e.g. {@code deflated-le}); throws for an unknown name. */
  public static TransferSyntax fromCliName(String name) {
    return Arrays.stream(values())
        .filter(t -> t.cliName.equals(name.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown transfer syntax " + name));
  }
}
