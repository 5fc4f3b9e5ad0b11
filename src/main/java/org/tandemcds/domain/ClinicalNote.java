package org.tandemcds.domain;

import java.util.List;

/**
 * A clinical note as plain text with its structure. Every span indexes {@link #text()}.
 *
 * @param sourceReference the FHIR resource the note came from, e.g. {@code DocumentReference/123}
 * @param patientIdentifiers the identifiers of the note's subject (from the Patient resource in the
 *     same Bundle, or the subject reference's identifier); empty when the note names none
 * @param accessionNumbers accession numbers the note's context links to (ServiceRequest and
 *     ImagingStudy identifiers in the same Bundle, DocumentReference.context.related)
 * @param date the note's date as given (FHIR dateTime/instant), empty when absent
 * @param author the author's display or reference, empty when absent
 */
public record ClinicalNote(
    String text,
    List<NoteSection> sections,
    List<TextSpan> sentences,
    List<TextSpan> tokens,
    String sourceReference,
    List<Identifier> patientIdentifiers,
    List<Identifier> accessionNumbers,
    String date,
    String author) {
  public ClinicalNote {
    sections = List.copyOf(sections);
    sentences = List.copyOf(sentences);
    tokens = List.copyOf(tokens);
    patientIdentifiers = List.copyOf(patientIdentifiers);
    accessionNumbers = List.copyOf(accessionNumbers);
  }
}
