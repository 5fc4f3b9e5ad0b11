package org.tandemcds.fhir;

/** How a part of a note is written. */
public enum NoteFormat {
  /** text/plain */
  PLAIN,
  /** text/html, and FHIR narrative XHTML ({@code text.div}) */
  HTML,
  /** text/markdown and text/x-markdown */
  MARKDOWN
}
