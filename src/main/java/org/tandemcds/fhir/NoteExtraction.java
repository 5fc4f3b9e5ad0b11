package org.tandemcds.fhir;

import java.util.Objects;
import java.util.Optional;
import org.tandemcds.domain.CdsException;

/**
 * What one note-carrying resource (DocumentReference, Composition, DiagnosticReport) yielded:
 * either a {@link NoteSource} or the coded reason it yielded none.
 */
public record NoteExtraction(
    String sourceReference, Optional<NoteSource> source, Optional<CdsException> failure) {
  public NoteExtraction {
    Objects.requireNonNull(sourceReference);
    if (source.isPresent() == failure.isPresent()) {
      throw new IllegalArgumentException("exactly one of source and failure");
    }
  }

  static NoteExtraction of(NoteSource source) {
    return new NoteExtraction(source.sourceReference(), Optional.of(source), Optional.empty());
  }

  static NoteExtraction failed(String sourceReference, CdsException failure) {
    return new NoteExtraction(sourceReference, Optional.empty(), Optional.of(failure));
  }
}
