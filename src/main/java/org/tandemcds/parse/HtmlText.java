package org.tandemcds.parse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HTML (and FHIR narrative XHTML) to plain text. Rules:
 *
 * <ul>
 *   <li>paragraph-like elements ({@code p h1-h6 ul ol dl table pre blockquote hr}) are separated by
 *       a blank line; other blocks ({@code div li tr dt dd section ...}) start a new line; {@code
 *       br} breaks the line;
 *   <li>list items become lines starting with {@code "- "} ({@code ul}) or {@code "1. "} ({@code
 *       ol}); table cells in a row are separated by a tab;
 *   <li>white space collapses to one space except inside {@code pre}; character references are
 *       decoded; {@code script}, {@code style}, {@code head} and comments are dropped;
 *   <li>{@code h1-h6} become {@link Heading}s.
 * </ul>
 *
 * Tolerant of tag soup: unknown or unclosed tags are ignored, never an error. Thread-safe.
 */
final class HtmlText {
  private static final Set<String> PARAGRAPHS =
      Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "blockquote", "hr", "dl");
  private static final Set<String> LINES =
      Set.of(
          "div",
          "li",
          "tr",
          "dt",
          "dd",
          "section",
          "article",
          "header",
          "footer",
          "main",
          "nav",
          "aside",
          "address",
          "caption",
          "figure",
          "figcaption",
          "details",
          "summary",
          "center");
  private static final Set<String> SKIPPED = Set.of("script", "style", "head", "title", "template");

  private final HtmlEntities entities;

  HtmlText(HtmlEntities entities) {
    this.entities = entities;
  }

  StructuredText convert(String html) {
    return new Conversion(html).run();
  }

  private final class Conversion {
    private final String html;
    private final TextWriter out = new TextWriter();
    private final Deque<int[]> lists = new ArrayDeque<>();
    private final List<Heading> headings = new ArrayList<>();
    private int pos;
    private int pre;
    private String skipping;
    private boolean inHeading;
    private int cells;

    Conversion(String html) {
      this.html = html;
    }

    StructuredText run() {
      while (pos < html.length()) {
        int lt = html.indexOf('<', pos);
        int textEnd = lt < 0 ? html.length() : lt;
        text(html.substring(pos, textEnd));
        pos = textEnd;
        if (lt >= 0) {
          markup();
        }
      }
      return new StructuredText(out.finish(), headings);
    }

    private void text(String raw) {
      if (skipping == null && !raw.isEmpty()) {
        out.text(entities.decode(raw), pre > 0);
      }
    }

    private void markup() {
      if (html.startsWith("<!--", pos)) {
        pos = skipPast("-->", pos + 4);
      } else if (html.startsWith("<![CDATA[", pos)) {
        int end = html.indexOf("]]>", pos);
        end = end < 0 ? html.length() : end;
        if (skipping == null) {
          out.text(html.substring(pos + 9, end), pre > 0);
        }
        pos = Math.min(html.length(), end + 3);
      } else if (html.startsWith("<!", pos) || html.startsWith("<?", pos)) {
        pos = skipPast(">", pos + 2);
      } else if (pos + 1 < html.length() && isTagStart(html.charAt(pos + 1))) {
        tag();
      } else {
        text("<");
        pos++;
      }
    }

    private boolean isTagStart(char c) {
      return c == '/' || Character.isLetter(c);
    }

    private int skipPast(String end, int from) {
      int at = html.indexOf(end, from);
      return at < 0 ? html.length() : at + end.length();
    }

    private void tag() {
      boolean closing = html.charAt(pos + 1) == '/';
      int nameStart = pos + (closing ? 2 : 1);
      int nameEnd = nameStart;
      while (nameEnd < html.length() && isNameChar(html.charAt(nameEnd))) {
        nameEnd++;
      }
      String name = localName(html.substring(nameStart, nameEnd));
      int end = tagEnd(nameEnd);
      boolean selfClosing = end > 0 && html.charAt(end - 1) == '/';
      pos = Math.min(html.length(), end + 1);
      if (skipping != null) {
        skipping = closing && name.equals(skipping) ? null : skipping;
      } else if (closing) {
        close(name);
      } else {
        open(name, selfClosing);
      }
    }

    private boolean isNameChar(char c) {
      return Character.isLetterOrDigit(c) || c == ':' || c == '-' || c == '_';
    }

    private String localName(String qualified) {
      int colon = qualified.indexOf(':');
      return qualified.substring(colon + 1).toLowerCase(Locale.ROOT);
    }

    /** Index of the '>' ending the tag, skipping quoted attribute values. */
    private int tagEnd(int from) {
      char quote = 0;
      for (int i = from; i < html.length(); i++) {
        char c = html.charAt(i);
        if (quote != 0) {
          quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          return i;
        }
      }
      return html.length();
    }

    private void open(String name, boolean selfClosing) {
      if (SKIPPED.contains(name) && !selfClosing) {
        skipping = name;
      } else if (name.equals("br")) {
        out.lineBreak();
      } else if (name.equals("ul") || name.equals("ol")) {
        out.block(lists.isEmpty() ? 2 : 1);
        lists.push(new int[] {name.equals("ol") ? 0 : -1});
      } else if (name.equals("li")) {
        listItem();
      } else if (name.equals("td") || name.equals("th")) {
        out.separator(cells++ > 0 ? "\t" : "");
      } else if (selfClosing) {
        out.block(PARAGRAPHS.contains(name) ? 2 : LINES.contains(name) ? 1 : 0);
      } else {
        openBlock(name);
      }
    }

    private void openBlock(String name) {
      if (name.equals("pre")) {
        pre++;
      }
      if (name.equals("tr")) {
        cells = 0;
      }
      if (isHeading(name)) {
        out.block(2);
        out.markNextText();
        inHeading = true;
      } else {
        out.block(PARAGRAPHS.contains(name) ? 2 : LINES.contains(name) ? 1 : 0);
      }
    }

    private void listItem() {
      out.block(1);
      int[] counter = lists.isEmpty() ? new int[] {-1} : lists.peek();
      out.prefix(counter[0] < 0 ? "- " : ++counter[0] + ". ");
    }

    private void close(String name) {
      if ((name.equals("ul") || name.equals("ol")) && !lists.isEmpty()) {
        lists.pop();
        out.block(lists.isEmpty() ? 2 : 1);
      } else if (isHeading(name) && inHeading) {
        heading();
      } else {
        pre = name.equals("pre") ? Math.max(0, pre - 1) : pre;
        out.block(PARAGRAPHS.contains(name) ? 2 : LINES.contains(name) ? 1 : 0);
      }
    }

    private void heading() {
      int start = out.marked();
      int end = out.length();
      inHeading = false;
      out.block(2);
      if (start >= 0 && end > start) {
        headings.add(new Heading(start, end, out.substring(start, end).strip()));
      }
    }

    private boolean isHeading(String name) {
      return name.length() == 2
          && name.charAt(0) == 'h'
          && name.charAt(1) >= '1'
          && name.charAt(1) <= '6';
    }
  }
}
