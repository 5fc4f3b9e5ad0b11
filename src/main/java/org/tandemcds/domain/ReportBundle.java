package org.tandemcds.domain;

import java.util.List;

/**
 * What the report stage hands on: the FHIR R4 transaction Bundle (JSON, urn:uuid references) and
 * the saliency overlays its Media resources carry.
 *
 * @param bundleJson the Bundle as FHIR JSON
 * @param diagnosticReportUuid the {@code urn:uuid:} of the DiagnosticReport entry
 * @param overlays the overlays, one per Media entry
 */
public record ReportBundle(String bundleJson, String diagnosticReportUuid, List<Overlay> overlays) {
  public ReportBundle {
    overlays = List.copyOf(overlays);
  }
}
