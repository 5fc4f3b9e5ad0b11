package org.tandemcds.samples;

import java.util.List;

/** A generated clinical note with the evidence spans it carries. */
public record SampleNote(String text, List<NoteSpan> spans, String reason, String author) {
  public SampleNote {
    spans = List.copyOf(spans);
  }
}
