package org.tandemcds.parse;

import java.util.List;

/** Plain text with the headings found in it, in text order. */
record StructuredText(String text, List<Heading> headings) {
  StructuredText {
    headings = List.copyOf(headings);
  }
}
