package org.tandemcds.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown (CommonMark and GitHub tables) to plain text, keeping the words and the line structure.
 * Rules: ATX ({@code # Title}) and setext ({@code Title} over {@code ===} / {@code ---}) headings
 * become {@link Heading}s written as their words; list markers become {@code "- "} or {@code "1.
 * "}; block-quote markers, code fences, thematic breaks, table delimiter rows, link reference
 * definitions and inline markup (emphasis, code spans, links, images, inline HTML, backslash
 * escapes) are removed, keeping link texts and image descriptions; table cells are separated by a
 * tab; character references are decoded; at most one blank line in a row. Thread-safe.
 */
final class MarkdownText {
  private static final Pattern ATX =
      Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
  private static final Pattern BREAK = Pattern.compile("^ {0,3}([-*_])(?:[ \\t]*\\1){2,}[ \\t]*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
  private static final Pattern QUOTE = Pattern.compile("^ {0,3}>[ ]?");
  private static final Pattern BULLET =
      Pattern.compile("^([ \\t]*)[-*+][ \\t]+(?:\\[[ xX]\\][ \\t]+)?");
  private static final Pattern ORDERED = Pattern.compile("^([ \\t]*)(\\d{1,9})[.)][ \\t]+");
  private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:[ \\t]+\\S+.*$");
  private static final Pattern TABLE_DELIMITER =
      Pattern.compile("^[ \\t]*\\|?[ \\t]*:?-+:?[ \\t]*(\\|[ \\t]*:?-+:?[ \\t]*)*\\|?[ \\t]*$");
  private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\([^)]*\\)");
  private static final Pattern LINK =
      Pattern.compile("\\[([^\\]]+)\\](?:\\([^)]*\\)|\\[[^\\]]*\\])");
  private static final Pattern AUTOLINK = Pattern.compile("<((?:https?|mailto|ftp):[^>\\s]+)>");
  private static final Pattern INLINE_HTML =
      Pattern.compile("</?[A-Za-z][A-Za-z0-9-]*(?:\\s[^<>]*)?/?>");
  private static final Pattern CODE = Pattern.compile("(`+)(.+?)\\1");
  private static final Pattern STRONG = Pattern.compile("(\\*\\*|__)(?=\\S)(.+?)(?<=\\S)\\1");
  private static final Pattern EMPHASIS_STAR = Pattern.compile("\\*(?=\\S)(.+?)(?<=\\S)\\*");
  private static final Pattern EMPHASIS_UNDERSCORE =
      Pattern.compile("(?<![\\p{L}\\p{N}])_(?=\\S)(.+?)(?<=\\S)_(?![\\p{L}\\p{N}])");
  private static final Pattern STRIKE = Pattern.compile("~~(?=\\S)(.+?)(?<=\\S)~~");
  private static final Pattern ESCAPE = Pattern.compile("\\\\([!-/:-@\\[-`{-~])");

  /** Backslash-escaped ASCII punctuation is parked in the private use area while markup goes. */
  private static final char PROTECTED = '\uE000';

  private final HtmlEntities entities;

  MarkdownText(HtmlEntities entities) {
    this.entities = entities;
  }

  StructuredText convert(String markdown) {
    String[] lines = markdown.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    StringBuilder out = new StringBuilder();
    List<Heading> headings = new ArrayList<>();
    boolean fenced = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (FENCE.matcher(line).find()) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        appendLine(out, line.stripTrailing());
        continue;
      }
      boolean setext =
          i + 1 < lines.length
              && !line.isBlank()
              && SETEXT.matcher(lines[i + 1]).matches()
              && !isBlock(line);
      Matcher atx = ATX.matcher(line);
      if (setext || atx.matches()) {
        String title = inline(setext ? line.strip() : atx.group(2) == null ? "" : atx.group(2));
        heading(out, headings, title);
        i += setext ? 1 : 0;
      } else if (BREAK.matcher(line).matches()
          || DEFINITION.matcher(line).matches()
          || TABLE_DELIMITER.matcher(line).matches() && line.contains("-") && line.contains("|")) {
        appendLine(out, "");
      } else {
        appendLine(out, block(line));
      }
    }
    return new StructuredText(out.toString().strip(), shiftedForStrip(out, headings));
  }

  private static boolean isBlock(String line) {
    return BULLET.matcher(line).find()
        || ORDERED.matcher(line).find()
        || QUOTE.matcher(line).find()
        || ATX.matcher(line).matches();
  }

  private void heading(StringBuilder out, List<Heading> headings, String title) {
    if (title.isEmpty()) {
      return;
    }
    blankLineBefore(out);
    int start = out.length();
    out.append(title);
    headings.add(new Heading(start, out.length(), title));
    out.append("\n\n");
  }

  private String block(String line) {
    String text = line;
    Matcher quote = QUOTE.matcher(text);
    while (quote.find()) {
      text = text.substring(quote.end());
      quote = QUOTE.matcher(text);
    }
    Matcher bullet = BULLET.matcher(text);
    if (bullet.find()) {
      return "- " + inline(text.substring(bullet.end()));
    }
    Matcher ordered = ORDERED.matcher(text);
    if (ordered.find()) {
      return Integer.parseInt(ordered.group(2)) + ". " + inline(text.substring(ordered.end()));
    }
    if (text.contains("|") && text.strip().startsWith("|")) {
      return row(text);
    }
    return inline(text.strip());
  }

  private String row(String text) {
    String inner = text.strip();
    inner =
        inner.substring(
            1, inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length());
    List<String> cells = new ArrayList<>();
    for (String cell : inner.split("(?<!\\\\)\\|")) {
      cells.add(inline(cell.strip()));
    }
    return String.join("\t", cells);
  }

  String inline(String text) {
    String s =
        ESCAPE
            .matcher(text)
            .replaceAll(m -> String.valueOf((char) (PROTECTED + m.group(1).charAt(0))));
    s = IMAGE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    s = LINK.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    s = AUTOLINK.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    s = CODE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(2).strip()));
    s = INLINE_HTML.matcher(s).replaceAll("");
    s = STRONG.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(2)));
    s = EMPHASIS_STAR.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    s = EMPHASIS_UNDERSCORE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    s = STRIKE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    s = entities.decode(s).replaceAll("[ \\t]+$", "");
    StringBuilder restored = new StringBuilder(s.length());
    s.chars()
        .map(c -> c >= PROTECTED && c < PROTECTED + 128 ? c - PROTECTED : c)
        .forEach(c -> restored.append((char) c));
    return restored.toString();
  }

  private static void appendLine(StringBuilder out, String line) {
    boolean blank = line.isBlank();
    if (blank && (out.length() == 0 || endsWithBlankLine(out))) {
      return;
    }
    out.append(blank ? "" : line).append('\n');
  }

  private static void blankLineBefore(StringBuilder out) {
    if (out.length() > 0 && !endsWithBlankLine(out)) {
      out.append('\n');
    }
  }

  private static boolean endsWithBlankLine(StringBuilder out) {
    return out.length() >= 2
        && out.charAt(out.length() - 1) == '\n'
        && out.charAt(out.length() - 2) == '\n';
  }

  /**
   * Headings keep their offsets: the text only loses trailing white space (it starts with text).
   */
  private static List<Heading> shiftedForStrip(StringBuilder out, List<Heading> headings) {
    int leading = out.length() - out.toString().stripLeading().length();
    return headings.stream().map(h -> h.shifted(-leading)).toList();
  }
}
