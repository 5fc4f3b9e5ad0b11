package org.tandemcds.samples;

/**
 * A synthetic patient. {@code issuer} is the DICOM IssuerOfPatientID; {@code identifierSystem} the
 * FHIR Identifier.system that names the same assigning authority.
 */
public record SamplePatient(
    String id,
    String issuer,
    String identifierSystem,
    String family,
    String given,
    String birthDate,
    String sex,
    int age,
    String smoking,
    int packYears) {}
