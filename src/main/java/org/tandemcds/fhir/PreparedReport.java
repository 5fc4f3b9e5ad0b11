package org.tandemcds.fhir;

import java.util.List;
import java.util.Set;
import org.tandemcds.domain.FhirResource;

/**
 * A report Bundle made ready for storage: every entry with a server id and version 1, every {@code
 * urn:uuid:} reference rewritten to {@code Type/id}.
 *
 * @param reportId the DiagnosticReport's server id
 * @param status the DiagnosticReport's status
 * @param resources every resource of the Bundle, the DiagnosticReport first
 * @param patientKeys the pseudonymous keys of the DiagnosticReport's subject (by reference id and
 *     by identifier)
 */
public record PreparedReport(
    String reportId, String status, List<FhirResource> resources, Set<String> patientKeys) {
  public PreparedReport {
    resources = List.copyOf(resources);
    patientKeys = Set.copyOf(patientKeys);
  }
}
