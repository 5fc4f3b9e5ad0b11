package org.tandemcds.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.App;
import org.tandemcds.ShippedApp;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.dicom.ResultSource;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.JobState;
import org.tandemcds.store.OutboxState;
import org.tandemcds.store.Suggestion;

/**
 * The whole PACS loop with real peers: a real Orthanc and {@code tandem serve} as the product runs
 * it ({@link App#serveWithReview}, the shipped model, H2, the C-STORE receiver), each registered as
 * the other's modality. A generated CR study is uploaded to Orthanc over REST; Orthanc's Lua
 * OnStableStudy rule forwards it to Tandem, which pairs it with the note stored for the patient,
 * analyses it, and sends the Secondary Capture(s) and the SR back through its outbox into the same
 * study in Orthanc (checked over Orthanc's REST API); the FHIR suggestion is served by Tandem. The
 * rule forwards whole studies, so Orthanc sends the study again with Tandem's results in it: the
 * original is a duplicate, the SC is kept as Tandem's own result and the SR is refused at
 * negotiation, and nothing is analysed a second time.
 */
class PacsLoopIT {
  private static final Path STUDY = Path.of("sample-studies", "study-000003");
  private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
  private static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void a_study_from_orthanc_is_analysed_once_and_its_sc_and_sr_arrive_back_in_the_same_study()
      throws Exception {
    int tandemDicomPort = ResultFixtures.freePort();
    String study = ResultSource.read(STUDY.resolve("image.dcm")).studyInstanceUid();
    try (OrthancPacs orthanc =
            OrthancPacs.start(
                dir.resolve("orthanc"),
                "TANDEM",
                tandemDicomPort,
                OrthancPacs.FORWARD_WHOLE_STUDY_RULE);
        App app = ShippedApp.start();
        App.Serving serving =
            app.serveWithReview(
                serveConfig(app, orthanc, tandemDicomPort), app.pipeline()::run, () -> true)) {
      String tandem = "http://127.0.0.1:" + serving.port();
      ResultFixtures.postNotes(tandem, STUDY.resolve("bundle.json"));

      orthanc.upload(STUDY.resolve("image.dcm"));

      await(
          () -> serving.queue().depth().getOrDefault(JobState.DONE, 0L) == 1,
          "Tandem analyses the forwarded study (its results queued before the job completes)");
      await(() -> allSent(serving), "the outbox sends every result object to Orthanc");
      long sent = serving.outbox().orElseThrow().depth("orthanc").get(OutboxState.SENT);
      await(
          () -> instancesInOrthanc(orthanc, study).size() == 1 + sent,
          "Orthanc holds the original and every result object in the study");
      List<JsonNode> instances = instancesInOrthanc(orthanc, study);
      List<JsonNode> secondaryCaptures = tagsOfClass(orthanc, instances, SECONDARY_CAPTURE);
      List<JsonNode> reports = tagsOfClass(orthanc, instances, COMPREHENSIVE_SR);
      assertThat(secondaryCaptures).as("one SC per saliency overlay").isNotEmpty();
      assertThat(reports).hasSize(1);
      assertThat(secondaryCaptures.size() + reports.size()).isEqualTo(sent);
      String original = ResultSource.read(STUDY.resolve("image.dcm")).sopInstanceUid();
      for (JsonNode tags : concat(secondaryCaptures, reports)) {
        assertThat(tags.path("StudyInstanceUID").asText()).isEqualTo(study);
        assertThat(tags.path("SeriesDescription").asText()).contains("AI suggestion");
        assertThat(tags.path("ContributingEquipmentSequence").path(0).path("Manufacturer").asText())
            .isEqualTo("Tandem CDS");
      }
      assertThat(
              secondaryCaptures
                  .get(0)
                  .path("SourceImageSequence")
                  .path(0)
                  .path("ReferencedSOPInstanceUID")
                  .asText())
          .isEqualTo(original);

      JsonNode searchset = fhirSuggestions(serving, tandem);
      assertThat(searchset.path("total").asInt()).isEqualTo(1);
      JsonNode report = searchset.path("entry").path(0).path("resource");
      assertThat(report.path("status").asText()).isEqualTo("preliminary");
      assertThat(report.path("conclusion").asText())
          .startsWith("AI-generated suggestion; requires clinician review.");
      assertThat(report.toString()).as("paired with the stored note").contains("image+note");

      // Orthanc's rule fires again now that the study holds the results and sends all of it back
      List<String> secondaryCaptureUids =
          secondaryCaptures.stream().map(t -> t.path("SOPInstanceUID").asText()).toList();
      await(
          () ->
              serving.studies().tandemResults(study).stream()
                  .map(InstanceKey::sopInstanceUid)
                  .toList()
                  .containsAll(secondaryCaptureUids),
          "Orthanc sends the study back with Tandem's SC in it");
      Thread.sleep(600); // past the 300 ms quiet time, so the check below sees every arrival
      assertThat(serving.trigger().check())
          .as("Tandem's own results sent back do not make the study quiet again")
          .isZero();
      assertThat(serving.studies().instances(study))
          .extracting(InstanceKey::sopInstanceUid)
          .as("only the original is analysable")
          .containsExactly(original);
      assertThat(jobs(serving)).as("one analysis, never a second").isEqualTo(1);
      assertThat(suggestions(serving)).hasSize(1);
    }
  }

  private ServeConfig serveConfig(App app, OrthancPacs orthanc, int tandemDicomPort) {
    Map<String, String> flags = new HashMap<>();
    flags.put("port", "0");
    flags.put("data-dir", dir.resolve("tandem").toString());
    flags.put("quiet-time", "300ms");
    flags.put("dicom-port", String.valueOf(tandemDicomPort));
    flags.put("dicom-allowed-callers", OrthancPacs.AE_TITLE);
    flags.put(
        "dicom-destinations",
        "orthanc=" + OrthancPacs.AE_TITLE + "@127.0.0.1:" + orthanc.dicomPort);
    flags.put("dicom-delivery-interval", "200ms");
    flags.put("dicom-delivery-backoff", "500ms");
    flags.put("model-version", app.modelIdentity().orElseThrow());
    return ServeConfig.of(ConfigSources.merge(Optional.empty(), Map.of(), flags));
  }

  private static JsonNode fhirSuggestions(App.Serving serving, String tandem) throws Exception {
    String token =
        serving
            .review()
            .authenticator()
            .issueToken("pacs-loop-it", Set.of("system/*.read"), Duration.ofMinutes(5));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(tandem + "/fhir/DiagnosticReport"))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static List<Suggestion> suggestions(App.Serving serving) {
    return serving
        .review()
        .reports()
        .search(Set.of(), Set.of(), Optional.empty(), Optional.empty(), 10);
  }

  /** Whether every queued result object has been sent (none waiting, none in flight). */
  private static boolean allSent(App.Serving serving) {
    Map<OutboxState, Long> depth = serving.outbox().orElseThrow().depth("orthanc");
    return depth.getOrDefault(OutboxState.SENT, 0L) > 0
        && depth.getOrDefault(OutboxState.QUEUED, 0L) == 0
        && depth.getOrDefault(OutboxState.SENDING, 0L) == 0
        && depth.getOrDefault(OutboxState.FAILED, 0L) == 0;
  }

  /** Jobs in any state (queued, running, done, failed). */
  private static long jobs(App.Serving serving) {
    return serving.queue().depth().values().stream().mapToLong(Long::longValue).sum();
  }

  private static List<JsonNode> instancesInOrthanc(OrthancPacs orthanc, String study) {
    try {
      return orthanc.instancesOfStudy(study);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<JsonNode> tagsOfClass(
      OrthancPacs orthanc, List<JsonNode> instances, String sopClass) throws Exception {
    List<JsonNode> found = new java.util.ArrayList<>();
    for (JsonNode instance : instances) {
      JsonNode tags = orthanc.tags(instance.path("ID").asText());
      if (sopClass.equals(tags.path("SOPClassUID").asText())) {
        found.add(tags);
      }
    }
    return found;
  }

  private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
    List<JsonNode> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
