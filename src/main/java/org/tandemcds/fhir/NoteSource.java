package org.tandemcds.fhir;

import java.util.List;
import org.tandemcds.domain.Identifier;

/**
 * A note as found in a FHIR resource, free of library types.
 *
 * @param sourceReference {@code DocumentReference/abc}, or the Bundle entry's fullUrl when the
 *     resource has no id
 * @param parts the text pieces in document order (at least one, each with non-blank content or a
 *     title)
 * @param patientIdentifiers identifiers of the subject: the Patient it points to (contained or in
 *     the same Bundle), else the reference's own identifier
 * @param accessionNumbers accession numbers of the orders and studies the note is linked to
 * @param date the note's date as written, empty when absent
 * @param author the first author's display, else its reference, empty when absent
 */
public record NoteSource(
    String sourceReference,
    List<NotePart> parts,
    List<Identifier> patientIdentifiers,
    List<Identifier> accessionNumbers,
    String date,
    String author) {
  public NoteSource {
    parts = List.copyOf(parts);
    patientIdentifiers = List.copyOf(patientIdentifiers);
    accessionNumbers = List.copyOf(accessionNumbers);
    date = date == null ? "" : date;
    author = author == null ? "" : author;
  }
}
