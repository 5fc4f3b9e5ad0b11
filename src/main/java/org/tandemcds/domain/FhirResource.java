package org.tandemcds.domain;

/**
 * One version of one stored FHIR resource, as FHIR JSON with server ids and {@code Type/id}
 * references.
 *
 * @param type the resource type, e.g. {@code DiagnosticReport}
 * @param id the server-assigned id
 * @param versionId the version, from 1
 * @param json the resource as FHIR JSON
 */
public record FhirResource(String type, String id, int versionId, String json) {
  /** {@code Type/id}. */
  public String reference() {
    return type + "/" + id;
  }
}
