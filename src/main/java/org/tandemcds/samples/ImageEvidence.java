package org.tandemcds.samples;

/**
 * How plainly a present finding shows on the image. {@code ABSENT} means the finding is present in
 * the latent disease state but rendered below visibility (occult); {@code NONE} is used for a
 * finding that is not present; {@code NOT_ACQUIRED} for a note-only study.
 */
public enum ImageEvidence {
  VISIBLE,
  SUBTLE,
  ABSENT,
  NONE,
  NOT_ACQUIRED;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
