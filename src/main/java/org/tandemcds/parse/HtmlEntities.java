package org.tandemcds.parse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes HTML character references: numeric ({@code &#228;}, {@code &#xE4;}) and the 2,231 HTML5
 * named references (WHATWG table, shipped as {@code html5-entities.tsv}), including the legacy
 * names that may omit the semicolon ({@code &amp}). An unknown reference stays as written.
 * Immutable and thread-safe.
 */
final class HtmlEntities {
  private static final int LONGEST_NAME = 33;
  private final Map<String, String> byName;

  private HtmlEntities(Map<String, String> byName) {
    this.byName = Map.copyOf(byName);
  }

  static HtmlEntities load() {
    try (InputStream in = HtmlEntities.class.getResourceAsStream("html5-entities.tsv")) {
      Map<String, String> table = new HashMap<>();
      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines()
          .filter(line -> !line.startsWith("#") && line.contains("\t"))
          .forEach(line -> table.put(line.substring(0, line.indexOf('\t')), chars(line)));
      return new HtmlEntities(table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String chars(String line) {
    StringBuilder value = new StringBuilder();
    for (String hex : line.substring(line.indexOf('\t') + 1).split(" ")) {
      value.appendCodePoint(Integer.parseInt(hex, 16));
    }
    return value.toString();
  }

  String decode(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int used = text.charAt(i) == '&' ? reference(text, i + 1, out) : 0;
      if (used == 0) {
        out.append(text.charAt(i));
      }
      i += used == 0 ? 1 : used + 1;
    }
    return out.toString();
  }

  /**
   * Appends the reference starting after '&' at {@code from}; returns the chars used, 0 if none.
   */
  private int reference(String text, int from, StringBuilder out) {
    if (from < text.length() && text.charAt(from) == '#') {
      return numeric(text, from + 1, out);
    }
    int end = from;
    while (end < text.length() && end - from < LONGEST_NAME && isNameChar(text.charAt(end))) {
      end++;
    }
    boolean semicolon = end < text.length() && text.charAt(end) == ';';
    if (semicolon && byName.containsKey(text.substring(from, end + 1))) {
      out.append(byName.get(text.substring(from, end + 1)));
      return end + 1 - from;
    }
    for (int stop = end; stop > from; stop--) {
      String legacy = byName.get(text.substring(from, stop));
      if (legacy != null) {
        out.append(legacy);
        return stop - from;
      }
    }
    return 0;
  }

  private static int numeric(String text, int from, StringBuilder out) {
    boolean hex = from < text.length() && (text.charAt(from) == 'x' || text.charAt(from) == 'X');
    int start = hex ? from + 1 : from;
    int end = start;
    while (end < text.length()
        && end - start < 8
        && Character.digit(text.charAt(end), hex ? 16 : 10) >= 0) {
      end++;
    }
    if (end == start) {
      return 0;
    }
    int codePoint = Integer.parseInt(text.substring(start, end), hex ? 16 : 10);
    boolean valid =
        codePoint > 0 && codePoint <= 0x10FFFF && (codePoint < 0xD800 || codePoint > 0xDFFF);
    out.appendCodePoint(valid ? codePoint : 0xFFFD);
    boolean semicolon = end < text.length() && text.charAt(end) == ';';
    return (semicolon ? end + 1 : end) - from + 1;
  }

  private static boolean isNameChar(char c) {
    return c < 128 && Character.isLetterOrDigit(c);
  }
}
