package org.tandemcds.domain;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What ingest hands to parse: where the received study and notes are (already spooled), and an id
 * for the request.
 *
 * @param study a DICOM file, a folder of DICOM files or a DICOMDIR; empty for a note-only request
 * @param notes FHIR JSON or XML files holding the patient's notes; empty for an image-only request
 */
public record AnalysisRequest(String requestId, Optional<Path> study, List<Path> notes) {
  public AnalysisRequest {
    notes = List.copyOf(notes);
  }
}
