package org.tandemcds.review;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.PatientKey;

/**
 * The pseudonymous keys under which a patient's suggestions are stored: one for the FHIR Patient id
 * ({@code PatientKey("Patient", id)}) and one per business identifier ({@code PatientKey(system,
 * value)}), as {@code fhir.ReportResources} derives them from a report's subject.
 */
public final class PatientKeys {
  private PatientKeys() {}

  public static Set<String> of(String patientId, List<Identifier> identifiers) {
    Set<String> keys = new LinkedHashSet<>();
    if (patientId != null && !patientId.isBlank()) {
      keys.add(PatientKey.of(new Identifier("Patient", patientId)).value());
    }
    for (Identifier identifier : identifiers) {
      if (identifier.value() != null && !identifier.value().isBlank()) {
        keys.add(PatientKey.of(identifier).value());
      }
    }
    return keys;
  }
}
