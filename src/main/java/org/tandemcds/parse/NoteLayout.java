package org.tandemcds.parse;

import java.util.List;
import org.tandemcds.domain.NoteSection;
import org.tandemcds.domain.TextSpan;

/**
 * A note's plain text with its sections and the blocks (paragraphs, headings, list items, table
 * rows) within which sentences are sought.
 */
record NoteLayout(String text, List<NoteSection> sections, List<TextSpan> blocks) {
  NoteLayout {
    sections = List.copyOf(sections);
    blocks = List.copyOf(blocks);
  }
}
