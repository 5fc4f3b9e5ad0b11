package org.tandemcds.samples;

/**
 * How much the note says about a finding, as drawn by the latent model: {@code STRONG} (a specific
 * cue plus supporting ones), {@code WEAK} (only unspecific cues), {@code NONE} (silent or
 * misleading), {@code NOT_WRITTEN} for an image-only study.
 */
public enum NoteEvidence {
  STRONG,
  WEAK,
  NONE,
  NOT_WRITTEN;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
