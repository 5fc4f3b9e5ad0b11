package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class TrainingManifestTest {
  @TempDir Path dir;

  private Path manifest(String studies) throws Exception {
    Path file = dir.resolve("manifest.json");
    Files.writeString(
        file, "{\"format\": \"tandem-sample-manifest/1\", \"studies\": [" + studies + "]}");
    return file;
  }

  @Test
  void a_hospital_manifest_with_only_the_required_fields_is_read_with_paths_resolved()
      throws Exception {
    Path m =
        manifest(
            "{\"id\": \"s1\", \"files\": {\"dicom\": \"a/x.dcm\"},"
                + " \"labels\": {\"cardiomegaly\": 1, \"pneumothorax\": 0}},"
                + "{\"id\": \"s2\", \"files\": {\"bundle\": \"b.json\"},"
                + " \"labels\": {\"cardiomegaly\": 0, \"pneumothorax\": 1}}");

    List<LabelledStudy> studies =
        new TrainingManifest().read(m, List.of("cardiomegaly", "pneumothorax"));

    assertThat(studies).extracting(LabelledStudy::id).containsExactly("s1", "s2");
    assertThat(studies.get(0).dicom()).contains(dir.toAbsolutePath().resolve("a/x.dcm"));
    assertThat(studies.get(0).bundle()).isEmpty();
    assertThat(studies.get(1).labels()).containsEntry("pneumothorax", 1);
  }

  @Test
  void a_missing_label_is_refused_naming_the_study_and_the_finding() throws Exception {
    Path m = manifest("{\"id\": \"s1\", \"files\": {\"dicom\": \"x.dcm\"}, \"labels\": {}}");

    assertThatThrownBy(() -> new TrainingManifest().read(m, List.of("cardiomegaly")))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("s1").contains("cardiomegaly");
            });
  }

  @Test
  void a_repeated_study_id_is_refused() throws Exception {
    String s = "{\"id\": \"s1\", \"files\": {\"dicom\": \"x.dcm\"}, \"labels\": {\"n\": 0}}";
    Path m = manifest(s + "," + s);

    assertThatThrownBy(() -> new TrainingManifest().read(m, List.of("n")))
        .isInstanceOf(CdsException.class)
        .hasMessageContaining("repeated id s1");
  }

  @Test
  void lesion_masks_are_taken_for_present_findings_the_image_shows_and_not_for_occult_ones()
      throws Exception {
    Path m =
        manifest(
            "{\"id\": \"s1\", \"files\": {\"dicom\": \"x.dcm\"},"
                + " \"labels\": {\"nodule_mass\": 1, \"consolidation\": 1, \"pneumothorax\": 0},"
                + " \"findings\": {"
                + "  \"nodule_mass\": {\"present\": true, \"imageEvidence\": \"subtle\","
                + "     \"mask\": \"s1/mask-nodule_mass.png\"},"
                + "  \"consolidation\": {\"present\": true, \"imageEvidence\": \"absent\","
                + "     \"mask\": \"s1/mask-consolidation.png\"},"
                + "  \"pneumothorax\": {\"present\": false, \"imageEvidence\": \"none\"}}},"
                + "{\"id\": \"s2\", \"files\": {\"dicom\": \"y.dcm\"},"
                + " \"labels\": {\"nodule_mass\": 1, \"consolidation\": 0, \"pneumothorax\": 0}}");

    List<LabelledStudy> studies =
        new TrainingManifest().read(m, List.of("nodule_mass", "consolidation", "pneumothorax"));

    LabelledStudy localised = studies.get(0);
    assertThat(localised.localised()).isTrue();
    assertThat(localised.masks())
        .containsOnlyKeys("nodule_mass")
        .containsEntry("nodule_mass", dir.toAbsolutePath().resolve("s1/mask-nodule_mass.png"));
    assertThat(studies.get(1).localised()).isFalse();
    assertThat(studies.get(1).masks()).isEmpty();
  }

  @Test
  void negated_note_spans_are_read_per_finding_whatever_the_label_and_other_stances_are_not()
      throws Exception {
    Path m =
        manifest(
            "{\"id\": \"s1\", \"files\": {\"bundle\": \"s1.json\"},"
                + " \"labels\": {\"consolidation\": 0, \"pneumothorax\": 1},"
                + " \"findings\": {"
                + "  \"consolidation\": {\"present\": false, \"noteSpans\": ["
                + "     {\"start\": 4, \"end\": 12, \"text\": \"afebrile\","
                + "      \"stance\": \"negated\", \"polarity\": \"negated\"},"
                + "     {\"start\": 20, \"end\": 32, \"text\": \"denies cough\","
                + "      \"stance\": \"negated\", \"polarity\": \"negated\"}]},"
                + "  \"pneumothorax\": {\"present\": true, \"noteSpans\": ["
                + "     {\"start\": 40, \"end\": 55, \"text\": \"no pneumothorax\","
                + "      \"stance\": \"negated\", \"polarity\": \"contradicting\"},"
                + "     {\"start\": 60, \"end\": 72, \"text\": \"sudden pain\","
                + "      \"stance\": \"asserted\", \"polarity\": \"supporting\"}]}}}");

    LabelledStudy s =
        new TrainingManifest().read(m, List.of("consolidation", "pneumothorax")).get(0);

    assertThat(s.negations().get("consolidation"))
        .containsExactly(
            new NoteMention(4, 12, "afebrile"), new NoteMention(20, 32, "denies cough"));
    assertThat(s.negations().get("pneumothorax"))
        .containsExactly(new NoteMention(40, 55, "no pneumothorax"));
  }

  @Test
  void malformed_note_spans_are_refused_with_a_coded_error_naming_the_study() throws Exception {
    Path m =
        manifest(
            "{\"id\": \"s9\", \"files\": {\"bundle\": \"s9.json\"},"
                + " \"labels\": {\"consolidation\": 0},"
                + " \"findings\": {\"consolidation\": {\"noteSpans\": ["
                + "     {\"start\": \"four\", \"end\": 12, \"text\": \"afebrile\","
                + "      \"stance\": \"negated\"}]}}}");

    assertThatThrownBy(() -> new TrainingManifest().read(m, List.of("consolidation")))
        .isInstanceOf(CdsException.class)
        .hasMessageContaining("s9")
        .extracting(e -> ((CdsException) e).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void a_mention_is_found_at_its_offsets_or_else_at_the_nearest_occurrence_of_its_text() {
    String note = "Pt afebrile. Later: afebrile again.";
    assertThat(new NoteMention(3, 11, "afebrile").locate(note))
        .isEqualTo(new org.tandemcds.domain.TextSpan(3, 11));
    assertThat(new NoteMention(18, 26, "afebrile").locate(note)) // shifted by a parse: nearest
        .isEqualTo(new org.tandemcds.domain.TextSpan(20, 28));
    assertThat(new NoteMention(3, 11, "febrile cough").locate(note)).isNull();
  }
}
