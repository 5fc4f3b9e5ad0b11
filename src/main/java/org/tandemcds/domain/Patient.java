package org.tandemcds.domain;

/**
 * A patient as an input names them: DICOM PatientID with its Issuer of Patient ID, or a FHIR
 * Patient.identifier value and system. {@code issuer} may be empty when the input gives none.
 */
public record Patient(String id, String issuer, String name, String birthDate, String sex) {
  public Patient {
    id = id == null ? "" : id;
    issuer = issuer == null ? "" : issuer;
    name = name == null ? "" : name;
    birthDate = birthDate == null ? "" : birthDate;
    sex = sex == null ? "" : sex;
  }
}
