package org.tandemcds.parse;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Patient;

/**
 * Pairs an imaging study with clinical notes and names the mode (see
 * docs/decisions/0002-note-text-and-pairing.md).
 *
 * <p>With a study, every note must name the study's patient: one of its patient identifiers has the
 * value of the DICOM PatientID and, when both sides name a namespace, an Identifier.system that
 * agrees with the IssuerOfPatientID ({@link #issuerAgrees}); and when both sides have accession
 * numbers, the study's AccessionNumber is among the note's. Without a study, the notes must name
 * one patient among themselves. Errors name the note's sourceReference and the identifier kind,
 * never identifier values: {@link ErrorCode#PATIENT_MISMATCH}, {@link ErrorCode#PATIENT_UNVERIFIED}
 * (a note, or the study, names no patient identifier, so the pairing cannot be checked), {@link
 * ErrorCode#CASE_EMPTY}.
 *
 * <p>Thread-safe and stateless apart from its configuration.
 */
public final class CaseAssembler {
  private final Map<String, String> issuerSystems;

  /**
   * @param issuerSystems the site's DICOM IssuerOfPatientID values mapped to the FHIR
   *     Identifier.system URIs of the same namespaces (may be empty)
   */
  public CaseAssembler(Map<String, String> issuerSystems) {
    this.issuerSystems = Map.copyOf(issuerSystems);
  }

  public CaseInput assemble(Optional<ImagingStudy> study, List<ClinicalNote> notes) {
    if (study.isEmpty() && notes.isEmpty()) {
      throw new CdsException(ErrorCode.CASE_EMPTY, "no imaging study and no clinical note");
    }
    if (study.isEmpty()) {
      requireOnePatient(notes);
      return new CaseInput(study, notes, Mode.NOTE_ONLY);
    }
    if (notes.isEmpty()) {
      return new CaseInput(study, notes, Mode.IMAGE_ONLY);
    }
    notes.forEach(note -> requireSameStudy(study.get(), note));
    return new CaseInput(study, notes, Mode.IMAGE_AND_NOTE);
  }

  private void requireSameStudy(ImagingStudy study, ClinicalNote note) {
    Patient patient = study.patient();
    String ref = note.sourceReference();
    if (patient == null || patient.id().isBlank()) {
      throw new CdsException(
          ErrorCode.PATIENT_UNVERIFIED,
          ref + ": the study " + study.studyInstanceUid() + " has no PatientID");
    }
    requireIdentified(note);
    List<Identifier> sameValue =
        note.patientIdentifiers().stream()
            .filter(id -> id.value().equals(patient.id().strip()))
            .toList();
    if (sameValue.isEmpty()) {
      throw mismatch(ref, "no patient Identifier.value equals the study's PatientID");
    }
    if (sameValue.stream().noneMatch(id -> issuerAgrees(patient.issuer(), id.system()))) {
      throw mismatch(ref, "Identifier.system disagrees with the study's IssuerOfPatientID");
    }
    requireSameAccession(study, note);
  }

  private static void requireSameAccession(ImagingStudy study, ClinicalNote note) {
    String accession = study.accessionNumber() == null ? "" : study.accessionNumber().strip();
    if (accession.isEmpty() || note.accessionNumbers().isEmpty()) {
      return;
    }
    if (note.accessionNumbers().stream().noneMatch(a -> a.value().equals(accession))) {
      throw mismatch(
          note.sourceReference(),
          "the study's AccessionNumber is not among the note's accession numbers");
    }
  }

  private void requireOnePatient(List<ClinicalNote> notes) {
    if (notes.size() < 2) {
      return;
    }
    notes.forEach(CaseAssembler::requireIdentified);
    ClinicalNote first = notes.get(0);
    for (ClinicalNote note : notes.subList(1, notes.size())) {
      boolean shared =
          note.patientIdentifiers().stream()
              .anyMatch(
                  id -> first.patientIdentifiers().stream().anyMatch(f -> sameIdentifier(f, id)));
      if (!shared) {
        throw mismatch(
            note.sourceReference(),
            "no patient identifier in common with " + first.sourceReference());
      }
    }
  }

  private static void requireIdentified(ClinicalNote note) {
    if (note.patientIdentifiers().isEmpty()) {
      throw new CdsException(
          ErrorCode.PATIENT_UNVERIFIED,
          note.sourceReference() + ": the note names no patient identifier");
    }
  }

  private static boolean sameIdentifier(Identifier a, Identifier b) {
    boolean systemsAgree =
        a.system().isEmpty()
            || b.system().isEmpty()
            || normalised(a.system()).equals(normalised(b.system()));
    return a.value().equals(b.value()) && systemsAgree;
  }

  /**
   * Whether a DICOM IssuerOfPatientID and a FHIR Identifier.system name the same namespace. Either
   * empty: they cannot disagree. Otherwise they agree when the configured map says so, or when one
   * component of the issuer (HL7 v2 HD style {@code namespace^universalId^type}, also with {@code
   * &}) equals the system, compared without case and without a {@code urn:oid:} prefix.
   */
  boolean issuerAgrees(String issuer, String system) {
    if (issuer == null || issuer.isBlank() || system == null || system.isBlank()) {
      return true;
    }
    if (system.strip().equals(issuerSystems.get(issuer.strip()))) {
      return true;
    }
    String wanted = normalised(system);
    for (String component : issuer.split("[\\^&]")) {
      if (!component.isBlank() && normalised(component).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static String normalised(String namespace) {
    String s = namespace.strip().toLowerCase(Locale.ROOT);
    return s.startsWith("urn:oid:") ? s.substring("urn:oid:".length()) : s;
  }

  private static CdsException mismatch(String sourceReference, String reason) {
    return new CdsException(ErrorCode.PATIENT_MISMATCH, sourceReference + ": " + reason);
  }
}
