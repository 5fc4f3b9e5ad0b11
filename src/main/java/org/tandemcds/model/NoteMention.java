package org.tandemcds.model;

import org.tandemcds.domain.TextSpan;

/**
 * A mention of a finding in a study's (first) note as a training manifest gives it: characters
 * {@code [start, end)} of the note the generator wrote, and their text.
 *
 * @param start first character
 * @param end one past the last character
 * @param text the mention's text
 */
public record NoteMention(int start, int end, String text) {

  /**
   * The mention's characters in {@code note} (the note's text as parsed): its own offsets when the
   * text is there, else the occurrence of its text nearest them; null when the text is not in the
   * note.
   */
  public TextSpan locate(String note) {
    if (start >= 0
        && start <= end
        && end <= note.length()
        && note.substring(start, end).equals(text)) {
      return new TextSpan(start, end);
    }
    int best = -1;
    for (int i = note.indexOf(text); i >= 0 && !text.isEmpty(); i = note.indexOf(text, i + 1)) {
      if (best < 0 || Math.abs(i - start) < Math.abs(best - start)) {
        best = i;
      }
    }
    return best < 0 ? null : new TextSpan(best, best + text.length());
  }
}
