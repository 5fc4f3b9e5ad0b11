package org.tandemcds.samples;

/** The patient's side: {@code RIGHT} shows on the viewer's left of a PA or AP chest image. */
public enum Side {
  RIGHT,
  LEFT;

  /** +1 for the patient's left (image right), -1 for the patient's right. */
  public int sign() {
    return this == LEFT ? 1 : -1;
  }

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
