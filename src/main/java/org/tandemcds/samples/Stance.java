package org.tandemcds.samples;

/** What the words of a note cue say, before comparing with the label. */
public enum Stance {
  AFFIRMED,
  NEGATED,
  HEDGED;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
