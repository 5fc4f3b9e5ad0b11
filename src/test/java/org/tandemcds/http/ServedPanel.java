package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tandemcds.App;
import org.tandemcds.ShippedApp;
import org.tandemcds.cli.ServeCommand;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;

/**
 * {@code tandem serve} started the way {@link ServeCommand} starts it: {@link App#start} with the
 * shipped model {@code models/tandem-cxr-fusion}, {@link ServeCommand#settings} and {@link
 * App#serveWithReview} with the real pipeline, the embedded H2 database in a temporary data folder,
 * on an ephemeral loopback port. Studies go in over the real HTTP API (the patient's FHIR Bundle as
 * a transaction to {@code POST /fhir}, then the image over STOW-RS); the analysis is the real
 * pipeline's, waited for through the FHIR API. Used by the panel's browser test and benchmark.
 */
final class ServedPanel implements AutoCloseable {
  static final Path MODEL = Path.of("models", "tandem-cxr-fusion");
  static final String PASSWORD = "correct horse battery staple";
  private static final Duration ANALYSIS_LIMIT = Duration.ofMinutes(10);

  final App app;
  final App.Serving serving;
  final Client client;
  final String baseUrl;
  private final String readToken;

  ServedPanel(Path dataDir) {
    app = ShippedApp.start();
    try {
      ServeConfig serve =
          ServeCommand.settings(
              app,
              ConfigSources.flags(
                  Map.of(
                      "port", "0",
                      "data-dir", dataDir.toString(),
                      "quiet-time", "300ms",
                      "dicom-port", "-1")));
      serving = app.serveWithReview(serve, app.pipeline()::run, () -> true);
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
    client = new Client(serving.port());
    baseUrl = client.base();
    readToken =
        serving
            .review()
            .authenticator()
            .issueToken("panel-test-reader", Set.of("system/*.read"), Duration.ofHours(4));
  }

  /** Adds a clinician account through the accounts code {@code tandem users add} uses. */
  void addClinician(String username, String displayName, Set<String> roles) {
    serving
        .review()
        .authenticator()
        .addClinician(username, displayName, PASSWORD.toCharArray(), roles);
  }

  /**
   * Sends one sample study the way a hospital would: its FHIR Bundle (patient, order, note) as a
   * transaction to {@code POST /fhir}, then its image over STOW-RS.
   */
  void ingest(Path studyFolder) throws IOException {
    HttpResponse<String> notes = client.fhir("/fhir", TinyStudies.transaction(studyFolder));
    assertThat(notes.statusCode()).as(notes.body()).isEqualTo(200);
    HttpResponse<String> stored = client.stow(List.of(TinyStudies.image(studyFolder)));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
  }

  /**
   * Waits until the FHIR API lists a {@code preliminary} DiagnosticReport for each of these studies
   * (ANALYSIS_LIMIT bounds a hung pipeline; not a timing assertion).
   *
   * @return StudyInstanceUID → DiagnosticReport id
   */
  Map<String, String> awaitReports(Set<String> studyInstanceUids) throws InterruptedException {
    long deadline = System.nanoTime() + ANALYSIS_LIMIT.toNanos();
    Map<String, String> found = new HashMap<>();
    while (true) {
      JsonNode bundle = fhir("/fhir/DiagnosticReport?status=preliminary&_count=200");
      found.clear();
      for (JsonNode entry : bundle.path("entry")) {
        JsonNode report = entry.path("resource");
        String uid = report.path("imagingStudy").path(0).path("identifier").path("value").asText();
        String study = uid.startsWith("urn:oid:") ? uid.substring("urn:oid:".length()) : uid;
        if (studyInstanceUids.contains(study)) {
          found.put(study, report.path("id").asText());
        }
      }
      if (found.keySet().containsAll(studyInstanceUids) || System.nanoTime() > deadline) {
        return Map.copyOf(found);
      }
      Thread.sleep(250);
    }
  }

  /** A FHIR read with a system client's read token; must answer 200. */
  JsonNode fhir(String pathAndQuery) {
    HttpResponse<String> response =
        client.get(
            pathAndQuery,
            "Authorization",
            "Bearer " + readToken,
            "Accept",
            "application/fhir+json");
    assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  @Override
  public void close() {
    try {
      serving.close();
    } finally {
      app.close();
    }
  }
}
