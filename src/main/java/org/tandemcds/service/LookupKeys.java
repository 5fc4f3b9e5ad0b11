package org.tandemcds.service;

import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.PatientKey;

/**
 * The pseudonymous key under which a note is found for a study: the {@link PatientKey} of the
 * identifier value alone, so the DICOM PatientID finds the notes whatever namespace (Issuer of
 * Patient ID, Identifier.system) each side writes. The parse stage then checks the pairing in full.
 */
final class LookupKeys {
  private LookupKeys() {}

  static String of(String identifierValue) {
    return PatientKey.of(new Identifier("", identifierValue)).value();
  }
}
