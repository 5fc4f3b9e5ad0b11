package org.tandemcds.fhir;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CdsException;

/**
 * One resource of a FHIR POST, ready to store, or the coded reason it cannot be.
 *
 * @param resourceType e.g. {@code DocumentReference}
 * @param resourceId its id, or the one assigned (the urn:uuid of its fullUrl, else a sha256 prefix
 *     of its content)
 * @param content what to store: for a note, a collection Bundle of the note with the Patient and
 *     the context it refers to, so the stored note can be paired on its own; else the resource
 * @param note whether the resource carries a clinical note
 * @param patientIdValues the values of the note's patient identifiers (for lookup keys; never log)
 * @param date the note's clinical date, null when it states none
 * @param failure why it cannot be stored, if so
 */
public record ReceivedResource(
    String resourceType,
    String resourceId,
    byte[] content,
    boolean note,
    List<String> patientIdValues,
    LocalDate date,
    Optional<CdsException> failure) {
  public ReceivedResource {
    patientIdValues = List.copyOf(patientIdValues);
  }

  public String reference() {
    return resourceType + "/" + resourceId;
  }
}
