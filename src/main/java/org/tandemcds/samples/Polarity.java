package org.tandemcds.samples;

/**
 * What a note evidence span says about its finding, judged against the true label: {@code
 * SUPPORTING} (affirms a present finding), {@code NEGATED} (denies an absent finding), {@code
 * HEDGED} (uncertain wording, either label), {@code CONTRADICTING} (affirms an absent finding or
 * denies a present one).
 */
public enum Polarity {
  SUPPORTING,
  NEGATED,
  HEDGED,
  CONTRADICTING;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
