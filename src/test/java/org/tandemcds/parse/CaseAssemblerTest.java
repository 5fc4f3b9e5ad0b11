package org.tandemcds.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Patient;

class CaseAssemblerTest {
  private static final String MRN_SYSTEM = "http://hospital.example.org/mrn";
  private final CaseAssembler assembler = new CaseAssembler(Map.of("HOSP_A", MRN_SYSTEM));

  private static ImagingStudy study(String patientId, String issuer, String accession) {
    return new ImagingStudy(
        new Patient(patientId, issuer, "Doe^Jane", "19700101", "F"),
        "1.2.3.4",
        accession,
        "20250101",
        "CHEST PA",
        List.of());
  }

  private static ClinicalNote note(
      String ref, List<Identifier> patient, List<Identifier> accessions) {
    return new ClinicalNote(
        "Cough.", List.of(), List.of(), List.of(), ref, patient, accessions, "", "");
  }

  private static Optional<ImagingStudy> some(ImagingStudy study) {
    return Optional.of(study);
  }

  @Test
  void note_with_the_study_patient_id_and_a_mapped_issuer_pairs_as_image_and_note() {
    ClinicalNote note =
        note("DocumentReference/a", List.of(new Identifier(MRN_SYSTEM, "12345")), List.of());

    CaseInput input = assembler.assemble(some(study("12345", "HOSP_A", "ACC1")), List.of(note));

    assertThat(input.mode()).isEqualTo(Mode.IMAGE_AND_NOTE);
    assertThat(input.notes()).containsExactly(note);
  }

  @Test
  void issuer_given_as_an_oid_agrees_with_a_urn_oid_system() {
    ClinicalNote note =
        note(
            "DocumentReference/a",
            List.of(new Identifier("urn:oid:1.2.840.99", "12345")),
            List.of());

    CaseInput input =
        assembler.assemble(some(study("12345", "HOSP_B^1.2.840.99^ISO", "")), List.of(note));

    assertThat(input.mode()).isEqualTo(Mode.IMAGE_AND_NOTE);
  }

  @Test
  void a_missing_issuer_on_either_side_does_not_block_a_value_match() {
    ClinicalNote noSystem =
        note("DocumentReference/a", List.of(new Identifier("", "12345")), List.of());
    ClinicalNote withSystem =
        note(
            "DocumentReference/b", List.of(new Identifier("http://other/mrn", "12345")), List.of());

    assertThat(assembler.assemble(some(study("12345", "HOSP_A", "")), List.of(noSystem)).mode())
        .isEqualTo(Mode.IMAGE_AND_NOTE);
    assertThat(assembler.assemble(some(study("12345", "", "")), List.of(withSystem)).mode())
        .isEqualTo(Mode.IMAGE_AND_NOTE);
  }

  @Test
  void note_for_another_patient_id_is_a_mismatch_that_names_the_note_but_no_identifier() {
    ClinicalNote other =
        note("DocumentReference/other", List.of(new Identifier(MRN_SYSTEM, "99999")), List.of());

    assertThatThrownBy(() -> assembler.assemble(some(study("12345", "HOSP_A", "")), List.of(other)))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PATIENT_MISMATCH);
              assertThat(e.detail()).contains("DocumentReference/other").contains("PatientID");
              assertThat(e.getMessage()).doesNotContain("99999").doesNotContain("12345");
            });
  }

  @Test
  void same_value_in_a_disagreeing_namespace_is_a_mismatch_on_the_issuer() {
    ClinicalNote note =
        note(
            "DocumentReference/a",
            List.of(new Identifier("http://other.example/mrn", "12345")),
            List.of());

    assertThatThrownBy(() -> assembler.assemble(some(study("12345", "HOSP_A", "")), List.of(note)))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PATIENT_MISMATCH);
              assertThat(e.detail()).contains("IssuerOfPatientID").doesNotContain("12345");
            });
  }

  @Test
  void accession_number_not_among_the_note_accessions_is_a_mismatch() {
    ClinicalNote note =
        note(
            "DiagnosticReport/r",
            List.of(new Identifier(MRN_SYSTEM, "12345")),
            List.of(new Identifier("http://hospital.example.org/acsn", "ACC2")));

    assertThatThrownBy(
            () -> assembler.assemble(some(study("12345", "HOSP_A", "ACC1")), List.of(note)))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PATIENT_MISMATCH);
              assertThat(e.detail()).contains("DiagnosticReport/r").contains("AccessionNumber");
              assertThat(e.getMessage()).doesNotContain("ACC1").doesNotContain("ACC2");
            });
  }

  @Test
  void matching_accession_number_pairs() {
    ClinicalNote note =
        note(
            "DiagnosticReport/r",
            List.of(new Identifier(MRN_SYSTEM, "12345")),
            List.of(new Identifier("", "ACC0"), new Identifier("", "ACC1")));

    assertThat(assembler.assemble(some(study("12345", "HOSP_A", "ACC1")), List.of(note)).mode())
        .isEqualTo(Mode.IMAGE_AND_NOTE);
  }

  @Test
  void note_without_patient_identifiers_cannot_be_verified_against_a_study() {
    ClinicalNote anonymous = note("Composition/c", List.of(), List.of());

    assertThatThrownBy(() -> assembler.assemble(some(study("12345", "", "")), List.of(anonymous)))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PATIENT_UNVERIFIED);
              assertThat(e.detail()).contains("Composition/c");
            });
  }

  @Test
  void study_without_patient_id_cannot_verify_a_note() {
    ClinicalNote note =
        note("DocumentReference/a", List.of(new Identifier("", "12345")), List.of());

    assertThatThrownBy(() -> assembler.assemble(some(study("", "", "")), List.of(note)))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PATIENT_UNVERIFIED));
  }

  @Test
  void study_alone_is_image_only() {
    CaseInput input = assembler.assemble(some(study("12345", "", "")), List.of());

    assertThat(input.mode()).isEqualTo(Mode.IMAGE_ONLY);
    assertThat(input.notes()).isEmpty();
  }

  @Test
  void notes_alone_are_note_only() {
    ClinicalNote a =
        note("DocumentReference/a", List.of(new Identifier(MRN_SYSTEM, "12345")), List.of());
    ClinicalNote b = note("DiagnosticReport/b", List.of(new Identifier("", "12345")), List.of());

    CaseInput input = assembler.assemble(Optional.empty(), List.of(a, b));

    assertThat(input.mode()).isEqualTo(Mode.NOTE_ONLY);
    assertThat(input.study()).isEmpty();
  }

  @Test
  void a_single_note_without_identifiers_is_note_only() {
    ClinicalNote anonymous = note("Composition/c", List.of(), List.of());

    assertThat(assembler.assemble(Optional.empty(), List.of(anonymous)).mode())
        .isEqualTo(Mode.NOTE_ONLY);
  }

  @Test
  void notes_of_two_patients_without_a_study_are_a_mismatch() {
    ClinicalNote a =
        note("DocumentReference/a", List.of(new Identifier(MRN_SYSTEM, "12345")), List.of());
    ClinicalNote b =
        note("DocumentReference/b", List.of(new Identifier(MRN_SYSTEM, "67890")), List.of());

    assertThatThrownBy(() -> assembler.assemble(Optional.empty(), List.of(a, b)))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PATIENT_MISMATCH);
              assertThat(e.detail()).contains("DocumentReference/b").doesNotContain("67890");
            });
  }

  @Test
  void neither_study_nor_note_is_an_empty_case() {
    assertThatThrownBy(() -> assembler.assemble(Optional.empty(), List.of()))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CASE_EMPTY));
  }
}
