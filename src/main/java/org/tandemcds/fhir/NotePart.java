package org.tandemcds.fhir;

/**
 * One piece of a note's text as the resource carries it, already decoded from bytes to characters
 * but not yet converted to plain text.
 *
 * @param title a section title (Composition.section.title), empty when the part has none
 * @param content the text in {@code format}
 */
public record NotePart(String title, String content, NoteFormat format) {
  public NotePart {
    title = title == null ? "" : title.strip();
    content = content == null ? "" : content;
  }
}
