package org.tandemcds.model;

import java.util.Locale;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Which heads a fusion network has, for the ablations: the full hybrid (image head, note head,
 * cross-attention joint head, learned gate), each single modality alone, intermediate fusion only
 * ({@code early}: the joint head alone) and late fusion only ({@code late}: image and note heads
 * and the gate, no cross-attention).
 */
public enum FusionVariant {
  HYBRID(true, true, true),
  IMAGE_ONLY(true, false, false),
  NOTE_ONLY(false, true, false),
  EARLY(false, false, true),
  LATE(true, true, false);

  private final boolean imageHead;
  private final boolean noteHead;
  private final boolean jointHead;

  FusionVariant(boolean imageHead, boolean noteHead, boolean jointHead) {
    this.imageHead = imageHead;
    this.noteHead = noteHead;
    this.jointHead = jointHead;
  }

  /**
   * Parses {@code hybrid}, {@code image-only}, {@code note-only}, {@code early} or {@code late}.
   *
   * @throws CdsException {@link ErrorCode#INVALID_ARGUMENT} for anything else
   */
  public static FusionVariant parse(String value) {
    for (FusionVariant v : values()) {
      if (v.label().equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    throw new CdsException(
        ErrorCode.INVALID_ARGUMENT,
        "variant must be hybrid, image-only, note-only, early or late, was '" + value + "'");
  }

  /** The name used on the command line and in the model card. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public boolean imageHead() {
    return imageHead;
  }

  public boolean noteHead() {
    return noteHead;
  }

  public boolean jointHead() {
    return jointHead;
  }

  /** Whether the heads are combined by a learned gate (hybrid, late). */
  public boolean gated() {
    return this == HYBRID || this == LATE;
  }

  /** Whether the network reads the image at all. */
  public boolean usesImage() {
    return imageHead || jointHead;
  }

  /** Whether the network reads notes at all. */
  public boolean usesNote() {
    return noteHead || jointHead;
  }

  /** Whether some head can serve a case with these inputs. */
  public boolean serves(boolean image, boolean note) {
    return (image && imageHead)
        || (note && noteHead)
        || (jointHead && (this == EARLY ? image || note : image && note));
  }
}
