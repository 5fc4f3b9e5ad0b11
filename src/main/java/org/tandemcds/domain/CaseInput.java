package org.tandemcds.domain;

import java.util.List;
import java.util.Optional;

/** What the parse stage hands to encode: a study, the patient's notes, or both, and the mode. */
public record CaseInput(Optional<ImagingStudy> study, List<ClinicalNote> notes, Mode mode) {
  public CaseInput {
    notes = List.copyOf(notes);
  }
}
