package org.tandemcds.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tandemcds.domain.NoteSection;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.fhir.NotePart;

/**
 * Lays out a note's parts as one plain text (see docs/decisions/0002-note-text-and-pairing.md):
 * each part is its title line (if any) then its converted content, parts separated by a blank line.
 * Headings (part titles, HTML {@code h1-h6}, markdown headings, plain-text label lines) start
 * sections; a section runs to the next heading of any level, so sections never overlap. Blocks are
 * cut at blank lines, at headings, at list items and at table rows. Thread-safe.
 */
final class NoteText {
  private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t]*\\n(?:[ \\t]*\\n)*");
  private static final Pattern LINE_STARTS =
      Pattern.compile("(?m)^(?=[ \\t]*(?:[-*+\\u2022]|\\d{1,3}[.)])[ \\t]|[^\\n]*\\t)");

  private final HtmlText html;
  private final MarkdownText markdown;
  private final PlainText plain = new PlainText();
  private final PlainHeadings plainHeadings = new PlainHeadings();

  NoteText() {
    HtmlEntities entities = HtmlEntities.load();
    this.html = new HtmlText(entities);
    this.markdown = new MarkdownText(entities);
  }

  NoteLayout layout(List<NotePart> parts) {
    StringBuilder text = new StringBuilder();
    List<Heading> headings = new ArrayList<>();
    for (NotePart part : parts) {
      StructuredText body = convert(part);
      if (part.title().isEmpty() && body.text().isEmpty()) {
        continue;
      }
      text.append(text.length() > 0 ? "\n\n" : "");
      if (!part.title().isEmpty()) {
        String title = plain.convert(part.title()).text().replace('\n', ' ');
        headings.add(new Heading(text.length(), text.length() + title.length(), title));
        text.append(title).append(body.text().isEmpty() ? "" : "\n");
      }
      appendBody(text, body, headings);
    }
    String all = text.toString();
    return new NoteLayout(all, sections(all, headings), blocks(all, headings));
  }

  private StructuredText convert(NotePart part) {
    return switch (part.format()) {
      case HTML -> html.convert(part.content());
      case MARKDOWN -> markdown.convert(part.content());
      case PLAIN -> plain.convert(part.content());
    };
  }

  private void appendBody(StringBuilder text, StructuredText body, List<Heading> headings) {
    int offset = text.length();
    List<Heading> own = new ArrayList<>(body.headings());
    own.addAll(plainHeadings.find(body.text(), body.headings()));
    own.stream().map(h -> h.shifted(offset)).forEach(headings::add);
    text.append(body.text());
  }

  private static List<NoteSection> sections(String text, List<Heading> headings) {
    List<Heading> sorted =
        headings.stream().sorted((a, b) -> Integer.compare(a.start(), b.start())).toList();
    List<NoteSection> sections = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      int end = i + 1 < sorted.size() ? sorted.get(i + 1).start() : text.length();
      while (end > sorted.get(i).end() && Character.isWhitespace(text.charAt(end - 1))) {
        end--;
      }
      sections.add(
          new NoteSection(sorted.get(i).title(), new TextSpan(sorted.get(i).start(), end)));
    }
    return sections;
  }

  private static List<TextSpan> blocks(String text, List<Heading> headings) {
    TreeSet<Integer> cuts = new TreeSet<>(List.of(0, text.length()));
    headings.forEach(h -> cuts.addAll(List.of(h.start(), h.end())));
    Matcher blank = BLANK_LINES.matcher(text);
    while (blank.find()) {
      cuts.addAll(List.of(blank.start(), blank.end()));
    }
    Matcher line = LINE_STARTS.matcher(text);
    while (line.find()) {
      cuts.add(line.start());
    }
    List<TextSpan> blocks = new ArrayList<>();
    Integer previous = null;
    for (int cut : cuts) {
      if (previous != null) {
        addTrimmed(text, previous, cut, blocks);
      }
      previous = cut;
    }
    return blocks;
  }

  private static void addTrimmed(String text, int start, int end, List<TextSpan> blocks) {
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    if (end > start) {
      blocks.add(new TextSpan(start, end));
    }
  }
}
