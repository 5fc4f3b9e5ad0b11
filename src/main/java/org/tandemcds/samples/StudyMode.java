package org.tandemcds.samples;

/** Which parts a synthetic study has. */
public enum StudyMode {
  IMAGE_AND_NOTE("image+note"),
  IMAGE_ONLY("image-only"),
  NOTE_ONLY("note-only");

  private final String label;

  StudyMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean hasImage() {
    return this != NOTE_ONLY;
  }

  public boolean hasNote() {
    return this != IMAGE_ONLY;
  }
}
