package org.tandemcds.parse;

import java.util.List;

/**
 * Plain text as a note carries it, normalised: line ends become {@code \n}, control characters
 * other than tab and line end become spaces, trailing spaces of lines and runs of blank lines are
 * reduced (at most one blank line), and the whole is stripped. Thread-safe.
 */
final class PlainText {
  StructuredText convert(String text) {
    String s = text.replace("\r\n", "\n").replace('\r', '\n');
    StringBuilder clean = new StringBuilder(s.length());
    s.codePoints()
        .map(c -> c != '\n' && c != '\t' && Character.isISOControl(c) ? ' ' : c)
        .forEach(clean::appendCodePoint);
    String normalised =
        clean.toString().replaceAll("[ \\t\\u00A0]+\n", "\n").replaceAll("\n{3,}", "\n\n").strip();
    return new StructuredText(normalised, List.of());
  }
}
