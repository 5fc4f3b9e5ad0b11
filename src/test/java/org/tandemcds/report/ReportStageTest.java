package org.tandemcds.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.ReportBundle;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.ProfileValidator;
import org.tandemcds.fhir.ReportBundleWriter;
import org.tandemcds.fhir.ValidationReport;

/**
 * The report stage's FHIR mapping: golden Bundles for fixed ids and clock, and every emitted
 * resource validated against Tandem's profiles and base R4 with HAPI's offline validator.
 */
class ReportStageTest {
  /** Run with {@code -Dtandem.golden.update=true} to rewrite the golden files after a change. */
  private static final boolean UPDATE = Boolean.getBoolean("tandem.golden.update");

  private static final Path GOLDEN = Path.of("src", "test", "resources", "report");
  private static Fhir fhir;
  private static ProfileValidator validator;
  private static ReportStage stage;

  @BeforeAll
  static void build() {
    fhir = new Fhir();
    validator = new ProfileValidator(fhir);
    stage = new ReportStage(new ReportBundleWriter(fhir), ReportCases.MODEL, ReportCases.CLOCK);
  }

  private static ReportBundle report(Mode mode, boolean explained) {
    Prediction p = ReportCases.prediction(mode);
    return stage.report(
        new ReportRequest(
            "run-" + mode.name().toLowerCase(java.util.Locale.ROOT),
            ReportCases.input(mode),
            p,
            explained ? Optional.of(ReportCases.explanation(p)) : Optional.empty()));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void bundle_matches_its_golden_file_for_fixed_ids_and_clock(Mode mode) throws IOException {
    String json = report(mode, true).bundleJson();
    Path golden = GOLDEN.resolve("bundle-" + mode.label().replace('+', '-') + ".json");
    if (UPDATE) {
      Files.writeString(golden, json + "\n");
    }
    assertThat(json + "\n").isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @Test
  void the_integrators_guide_shows_the_golden_image_and_note_bundle() throws IOException {
    String golden = Files.readString(GOLDEN.resolve("bundle-image-note.json"));
    assertThat(Files.readString(Path.of("docs", "fhir-output.md")))
        .contains("```json\n" + golden + "```");
  }

  @Test
  void every_file_in_fhir_profiles_is_loaded_by_the_validator() throws IOException {
    try (var files = Files.list(Path.of("fhir-profiles"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
          .containsExactlyInAnyOrderElementsOf(ProfileValidator.PROFILE_FILES);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void every_emitted_resource_validates_with_no_error(Mode mode) {
    for (boolean explained : new boolean[] {true, false}) {
      ValidationReport report = validator.validate(report(mode, explained).bundleJson());
      assertThat(report.of(ValidationReport.Severity.ERROR)).as(mode + " " + explained).isEmpty();
    }
  }

  @Test
  void a_broken_suggestion_fails_validation_so_the_check_can_fail() throws IOException {
    JsonNode bundle = json(report(Mode.IMAGE_AND_NOTE, true));
    ObjectMapper m = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode dr =
        (com.fasterxml.jackson.databind.node.ObjectNode) bundle.at("/entry/0/resource");
    dr.put("status", "final");
    dr.remove("conclusion");
    dr.putArray("resultsInterpreter").addObject().put("display", "Dr Nobody");
    ValidationReport report = validator.validate(m.writeValueAsString(bundle));
    assertThat(report.of(ValidationReport.Severity.ERROR))
        .extracting(ValidationReport.Issue::toString)
        .anyMatch(l -> l.contains("status"))
        .anyMatch(l -> l.contains("resultsInterpreter"))
        .anyMatch(l -> l.contains("conclusion"));
    assertThat(report.valid()).isFalse();
  }

  @Test
  void diagnostic_report_is_a_preliminary_ai_labelled_suggestion() throws IOException {
    JsonNode dr = json(report(Mode.IMAGE_AND_NOTE, true)).at("/entry/0/resource");
    assertThat(dr.get("resourceType").asText()).isEqualTo("DiagnosticReport");
    assertThat(dr.get("status").asText()).isEqualTo("preliminary");
    assertThat(dr.at("/meta/security/0/code").asText()).isEqualTo("AIAST");
    assertThat(dr.has("resultsInterpreter")).isFalse();
    assertThat(dr.get("conclusion").asText())
        .startsWith("AI-generated suggestion; requires clinician review. ")
        .contains("pleural effusion (probability 83.4 %)")
        .contains("lung nodule or mass (probability 61.0 %)")
        .doesNotContain("cardiomegaly");
    assertThat(dr.get("conclusionCode"))
        .extracting(c -> c.at("/coding/0/code").asText())
        .containsExactly("60046008", "309529002");
    assertThat(dr.at("/code/coding/0/code").asText()).isEqualTo("36554-4");
    assertThat(dr.at("/effectiveDateTime").asText()).isEqualTo("2026-03-15");
    assertThat(dr.at("/basedOn/0/identifier/value").asText()).isEqualTo("ACC32834615");
    assertThat(dr.get("result")).hasSize(5);
    assertThat(dr.get("media")).hasSize(2);
    String html =
        new String(
            Base64.getDecoder().decode(dr.at("/presentedForm/0/data").asText()),
            StandardCharsets.UTF_8);
    assertThat(html).contains("image+note").contains("AI-generated suggestion");
  }

  @Test
  void observations_carry_probability_threshold_call_contributions_and_evidence()
      throws IOException {
    JsonNode bundle = json(report(Mode.IMAGE_AND_NOTE, true));
    JsonNode effusion = bundle.at("/entry/2/resource");
    assertThat(effusion.at("/code/coding/0/code").asText()).isEqualTo("60046008");
    assertThat(effusion.at("/valueQuantity/value").decimalValue().doubleValue()).isEqualTo(83.4);
    assertThat(effusion.at("/valueQuantity/code").asText()).isEqualTo("%");
    assertThat(effusion.at("/interpretation/0/coding/0/code").asText()).isEqualTo("POS");
    assertThat(effusion.at("/referenceRange/0/high/value").decimalValue().doubleValue())
        .isEqualTo(35.0);
    assertThat(effusion.get("derivedFrom")).hasSize(2);
    List<JsonNode> ext =
        StreamSupport.stream(effusion.get("extension").spliterator(), false).toList();
    JsonNode evidence =
        ext.stream()
            .filter(e -> e.get("url").asText().endsWith("/note-evidence"))
            .findFirst()
            .orElseThrow();
    assertThat(evidence.toString())
        .contains("\"valueInteger\":22")
        .contains("\"valueInteger\":33")
        .contains("DocumentReference/note-1")
        .contains("0.8125");
    assertThat(
            json(report(Mode.IMAGE_AND_NOTE, true))
                .at("/entry/1/resource/interpretation/0/coding/0/code")
                .asText())
        .isEqualTo("NEG");
  }

  @Test
  void without_an_explanation_there_is_no_media_and_no_extension() throws IOException {
    JsonNode bundle = json(report(Mode.IMAGE_AND_NOTE, false));
    assertThat(bundle.get("entry"))
        .extracting(e -> e.at("/resource/resourceType").asText())
        .containsExactly(
            "DiagnosticReport",
            "Observation",
            "Observation",
            "Observation",
            "Observation",
            "Observation",
            "Device",
            "Provenance");
    assertThat(bundle.at("/entry/1/resource").has("extension")).isFalse();
  }

  @Test
  void media_names_the_source_instance_and_the_finding_and_carries_the_png() throws IOException {
    ReportBundle r = report(Mode.IMAGE_AND_NOTE, true);
    JsonNode media = json(r).at("/entry/6/resource");
    assertThat(media.get("resourceType").asText()).isEqualTo("Media");
    assertThat(media.at("/extension/0/valueOid").asText()).isEqualTo("urn:oid:" + ReportCases.SOP);
    assertThat(media.at("/reasonCode/0/coding/0/code").asText()).isEqualTo("60046008");
    assertThat(Base64.getDecoder().decode(media.at("/content/data").asText()))
        .isEqualTo(r.overlays().get(0).png());
    assertThat(r.overlays()).hasSize(2);
  }

  @Test
  void device_and_provenance_name_the_model_its_files_and_the_run() throws IOException {
    JsonNode bundle = json(report(Mode.IMAGE_AND_NOTE, false));
    JsonNode device = bundle.at("/entry/6/resource");
    JsonNode provenance = bundle.at("/entry/7/resource");
    assertThat(device.get("identifier"))
        .extracting(i -> i.get("value").asText())
        .containsExactly(ReportCases.SHA, "cd".repeat(32), "ef".repeat(32));
    assertThat(device.at("/deviceName/0/name").asText()).isEqualTo("tandem-cxr-fusion");
    assertThat(provenance.get("target")).hasSize(6);
    assertThat(provenance.at("/agent/0/who/reference").asText())
        .isEqualTo(bundle.at("/entry/6/fullUrl").asText());
    assertThat(provenance.at("/extension/0/valueString").asText()).isEqualTo("run-image_and_note");
    assertThat(provenance.get("entity")).hasSize(2);
  }

  @Test
  void a_prediction_of_another_model_is_refused() {
    Prediction p = ReportCases.prediction(Mode.IMAGE_ONLY);
    Prediction other =
        new Prediction(p.findings(), p.mode(), p.modelName(), p.modelVersion(), "00".repeat(32));
    assertThatThrownBy(
            () ->
                stage.report(
                    new ReportRequest(
                        "r", ReportCases.input(Mode.IMAGE_ONLY), other, Optional.empty())))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
  }

  private static JsonNode json(ReportBundle r) throws IOException {
    return new ObjectMapper().readTree(r.bundleJson());
  }
}
