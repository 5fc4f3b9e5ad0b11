package org.tandemcds.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A pseudonym for a patient, for output that may end up in logs: the first 12 hex digits of SHA-256
 * over {@code issuer|id}. Stable for the same patient, reveals neither value.
 */
public record PatientKey(String value) {

  public static PatientKey of(Patient patient) {
    return of(patient.issuer(), patient.id());
  }

  public static PatientKey of(Identifier identifier) {
    return of(identifier.system(), identifier.value());
  }

  private static PatientKey of(String namespace, String id) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((namespace + "|" + id).getBytes(StandardCharsets.UTF_8));
      return new PatientKey("pt-" + HexFormat.of().formatHex(digest, 0, 6));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
