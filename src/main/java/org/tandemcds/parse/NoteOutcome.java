package org.tandemcds.parse;

import java.util.Objects;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;

/**
 * What one note-carrying resource of an input yielded: a {@link ClinicalNote} or the coded reason
 * it yielded none.
 */
public record NoteOutcome(
    String sourceReference, Optional<ClinicalNote> note, Optional<CdsException> failure) {
  public NoteOutcome {
    Objects.requireNonNull(sourceReference);
    if (note.isPresent() == failure.isPresent()) {
      throw new IllegalArgumentException("exactly one of note and failure");
    }
  }

  static NoteOutcome of(ClinicalNote note) {
    return new NoteOutcome(note.sourceReference(), Optional.of(note), Optional.empty());
  }

  static NoteOutcome failed(String sourceReference, CdsException failure) {
    return new NoteOutcome(sourceReference, Optional.empty(), Optional.of(failure));
  }
}
