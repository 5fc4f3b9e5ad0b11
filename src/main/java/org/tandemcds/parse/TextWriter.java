package org.tandemcds.parse;

/**
 * Builds plain text from runs of text and layout requests: collapses white space, writes at most
 * one blank line in a row, never leading or trailing white space, and tells where the next text
 * starts (for headings).
 */
final class TextWriter {
  private final StringBuilder out = new StringBuilder();
  private int pendingBreaks;
  private String pendingGap = "";
  private String prefix = "";
  private boolean marking;
  private int mark = -1;

  /** Ask for {@code breaks} line ends (1: new line, 2: blank line) before the next text. */
  void block(int breaks) {
    pendingBreaks = Math.max(pendingBreaks, breaks);
  }

  /**
   * A line break that adds to those already asked for (as {@code <br>} does), up to a blank line.
   */
  void lineBreak() {
    pendingBreaks = Math.min(2, pendingBreaks + 1);
  }

  /** Text to write before the next text on the same line (a cell separator). */
  void separator(String gap) {
    pendingGap = gap;
  }

  /** Text to write at the start of the next line (a list marker). */
  void prefix(String marker) {
    prefix = marker;
  }

  /** Remember where the next non-blank text starts, until {@link #marked()} reads it. */
  void markNextText() {
    marking = true;
    mark = -1;
  }

  /** Where the text started since {@link #markNextText()}, -1 when none was written. */
  int marked() {
    marking = false;
    return mark;
  }

  int length() {
    return out.length();
  }

  String substring(int start, int end) {
    return out.substring(start, end);
  }

  void text(String text, boolean preformatted) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (preformatted && c == '\n') {
        lineBreak();
      } else if (c == '\r' && preformatted) {
        continue;
      } else if (isSpace(c)) {
        pendingGap = preformatted ? pendingGap + c : pendingGap.isEmpty() ? " " : pendingGap;
      } else {
        write(c);
      }
    }
  }

  private void write(char c) {
    if (pendingBreaks > 0 && out.length() > 0) {
      out.append(pendingBreaks == 1 ? "\n" : "\n\n");
      pendingGap = "";
    } else if (!pendingGap.isEmpty() && out.length() > 0 && !atLineStart()) {
      out.append(pendingGap);
    }
    pendingBreaks = 0;
    pendingGap = "";
    if (!prefix.isEmpty()) {
      out.append(prefix);
      prefix = "";
    }
    if (marking && mark < 0) {
      mark = out.length();
    }
    out.append(c);
  }

  private boolean atLineStart() {
    return out.charAt(out.length() - 1) == '\n';
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  String finish() {
    return out.toString();
  }
}
