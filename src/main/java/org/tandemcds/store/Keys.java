package org.tandemcds.store;

import java.util.regex.Pattern;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Validation of the keys that become file names or table keys: a DICOM UI value (PS3.5 6.2: digits
 * and dots, at most 64 characters, no empty component), a FHIR id and resource type, and a
 * pseudonymous patient key. Nothing that passes can name a parent folder or leave the store.
 */
final class Keys {
  private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  private static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Z][A-Za-z]{0,63}");
  private static final Pattern PATIENT_KEY = Pattern.compile("[A-Za-z0-9_\\-.]{1,128}");

  private Keys() {}

  static String uid(String name, String value) {
    if (value == null || value.length() > 64 || !UID.matcher(value).matches()) {
      throw invalid(name + " is not a DICOM UID");
    }
    return value;
  }

  static String fhirId(String value) {
    if (value == null || !FHIR_ID.matcher(value).matches()) {
      throw invalid("resource id is not a FHIR id");
    }
    return value;
  }

  static String resourceType(String value) {
    if (value == null || !RESOURCE_TYPE.matcher(value).matches()) {
      throw invalid("resource type is not a FHIR resource type");
    }
    return value;
  }

  static String patientKey(String value) {
    if (value == null || !PATIENT_KEY.matcher(value).matches()) {
      throw invalid("patient key must be 1-128 letters, digits, '.', '_' or '-'");
    }
    return value;
  }

  static String text(String name, String value, int maxLength) {
    if (value == null || value.isEmpty() || value.length() > maxLength) {
      throw invalid(name + " must be 1-" + maxLength + " characters");
    }
    return value;
  }

  private static CdsException invalid(String detail) {
    return new CdsException(ErrorCode.STORE_INVALID_KEY, detail);
  }
}
