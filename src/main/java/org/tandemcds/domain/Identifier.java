package org.tandemcds.domain;

/**
 * An identifier as FHIR and DICOM give it: FHIR Identifier.system / value, or DICOM Issuer of
 * Patient ID / PatientID (and Issuer of Accession Number / AccessionNumber). {@code system} is
 * empty when the input gives none.
 */
public record Identifier(String system, String value) {
  public Identifier {
    system = system == null ? "" : system.trim();
    value = value == null ? "" : value.trim();
  }
}
