package org.tandemcds.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds heading lines in plain text, at the start of a line (after indentation):
 *
 * <ul>
 *   <li>an upper-case label of at most six words with at least four letters, then a colon: {@code
 *       HISTORY:}, {@code CLINICAL INDICATION: chest pain};
 *   <li>a capitalised label of at most five words alone on its line with a colon: {@code
 *       Impression:};
 *   <li>a usual report section name in any case, with a colon or alone on its line: {@code
 *       Findings: ...}, {@code Impression}.
 * </ul>
 *
 * The heading spans the label and its colon; the title is the label. Thread-safe.
 */
final class PlainHeadings {
  private static final String KNOWN =
      "(?:clinical\\s+)?history|(?:clinical\\s+)?indications?|reason\\s+for\\s+(?:exam|examination|study|referral)"
          + "|comparisons?|techniques?|procedures?|findings|impressions?|conclusions?"
          + "|recommendations?|diagnos[ie]s|assessment(?:\\s+and\\s+plan)?|plan|summary|results?"
          + "|exam|examination|addendum|comments?|opinion|clinical\\s+information";
  private static final Pattern UPPER =
      Pattern.compile(
          "(?m)^[ \\t]*((?=(?:[^a-z:\\n]*[A-Z]){4})[A-Z][A-Z0-9/&()'-]*(?:[ ][A-Z0-9/&()'-]+){0,5})(:)");
  private static final Pattern ALONE =
      Pattern.compile("(?m)^[ \\t]*([A-Z][A-Za-z/&'-]*(?:[ ][A-Za-z/&'-]+){0,4})(:)[ \\t]*$");
  private static final Pattern KNOWN_LABEL =
      Pattern.compile("(?mi)^[ \\t]*(" + KNOWN + ")(?:(:)|[ \\t]*$)");

  /** Headings of {@code text} in text order, skipping lines that overlap {@code existing}. */
  List<Heading> find(String text, List<Heading> existing) {
    List<Heading> found = new ArrayList<>();
    for (Pattern pattern : List.of(UPPER, ALONE, KNOWN_LABEL)) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        int end = m.group(2) != null ? m.end(2) : m.end(1);
        Heading heading = new Heading(m.start(1), end, m.group(1).strip());
        if (!overlaps(heading, existing) && !overlaps(heading, found)) {
          found.add(heading);
        }
      }
    }
    found.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return found;
  }

  private static boolean overlaps(Heading heading, List<Heading> others) {
    return others.stream().anyMatch(o -> heading.start() < o.end() && o.start() < heading.end());
  }
}
