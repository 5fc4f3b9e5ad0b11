package org.tandemcds.samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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

  /**
   * The syntaxes to draw from, each repeated by its weight: {@code name} or {@code name:weight}
   * (weight 1–100), e.g. {@code [jpeg-lossless:5, rle]}. Throws for an unknown name or bad weight.
   */
  public static List<TransferSyntax> mix(List<String> items) {
    List<TransferSyntax> out = new ArrayList<>();
    for (String item : items) {
      String[] parts = item.split(":", 2);
      int weight = parts.length == 2 ? weight(parts[1], item) : 1;
      out.addAll(Collections.nCopies(weight, fromCliName(parts[0].trim())));
    }
    return List.copyOf(out);
  }

  /** The default mix: JPEG Lossless (the archive norm) weight 5, every other syntax weight 1. */
  public static List<TransferSyntax> defaultMix() {
    List<String> items = new ArrayList<>();
    for (TransferSyntax t : values()) {
      items.add(t == JPEG_LOSSLESS ? t.cliName + ":5" : t.cliName);
    }
    return mix(items);
  }

  private static int weight(String text, String item) {
    try {
      int w = Integer.parseInt(text.trim());
      if (w >= 1 && w <= 100) {
        return w;
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad transfer syntax weight in " + item, e);
    }
    throw new IllegalArgumentException("transfer syntax weight must be 1..100 in " + item);
  }

  /** The syntax named {@code name} (e.g. {@code deflated-le}); throws for an unknown name. */
  public static TransferSyntax fromCliName(String name) {
    return Arrays.stream(values())
        .filter(t -> t.cliName.equals(name.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown transfer syntax " + name));
  }
}
