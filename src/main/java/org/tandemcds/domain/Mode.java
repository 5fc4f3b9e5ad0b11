package org.tandemcds.domain;

/** Which inputs an analysis uses. */
public enum Mode {
  IMAGE_AND_NOTE("image+note"),
  IMAGE_ONLY("image-only"),
  NOTE_ONLY("note-only");

  private final String label;

  Mode(String label) {
    this.label = label;
  }

  /** The name used in outputs: {@code image+note}, {@code image-only}, {@code note-only}. */
  public String label() {
    return label;
  }
}
