package org.tandemcds.store;

import java.time.LocalDate;

/**
 * Where a FHIR resource carrying a clinical note belongs: its resource type and id (validated as a
 * FHIR id, {@link org.tandemcds.domain.ErrorCode#STORE_INVALID_KEY}), the pseudonymous patient key
 * and the note's clinical date (may be null when the resource states none).
 */
public record NoteKey(String resourceType, String resourceId, String patientKey, LocalDate date) {
  public NoteKey {
    Keys.resourceType(resourceType);
    Keys.fhirId(resourceId);
    Keys.patientKey(patientKey);
  }

  String reference() {
    return resourceType + "/" + resourceId;
  }
}
