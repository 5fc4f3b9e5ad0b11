package org.tandemcds.fhir;

import java.util.List;

/**
 * The inputs of one {@code DiagnosticReport/$analyze}: the study and the notes, named by reference
 * ({@code DocumentReference/id}, stored before) or given inline (FHIR JSON, to store first).
 */
public record AnalyzeCall(
    String studyInstanceUid, List<String> noteReferences, List<byte[]> inlineNotes) {
  public AnalyzeCall {
    noteReferences = List.copyOf(noteReferences);
    inlineNotes = List.copyOf(inlineNotes);
  }
}
