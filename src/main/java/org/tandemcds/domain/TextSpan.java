package org.tandemcds.domain;

/** Characters {@code [start, end)} of a note's text. */
public record TextSpan(int start, int end) {
  public TextSpan {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("span [" + start + ", " + end + ")");
    }
  }

  public int length() {
    return end - start;
  }

  public String of(String text) {
    return text.substring(start, end);
  }
}
