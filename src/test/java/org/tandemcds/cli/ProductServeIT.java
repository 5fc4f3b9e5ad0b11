package org.tandemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ModelConfig;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.domain.AuditType;
import org.tandemcds.store.Suggestion;

/**
 * {@code tandem serve} as the product runs it ({@link App#serveWithReview}): the real pipeline with
 * a tiny trained model, one study sent over STOW-RS and one over DICOM C-STORE (DCMTK storescu),
 * the quiet-study trigger, and the review module storing each run as a preliminary suggestion that
 * the review panel serves.
 */
class ProductServeIT {
  private static final Path STUDY = Path.of("sample-studies", "study-000003", "image.dcm");
  private static final Path SECOND_STUDY = Path.of("sample-studies", "study-000004", "image.dcm");

  @TempDir Path dataDir;

  @Test
  void studies_sent_over_stow_rs_and_c_store_become_preliminary_suggestions_the_panel_serves()
      throws Exception {
    Path model = TinyModel.get();
    ServeConfig serve =
        ServeConfig.of(
            ConfigSources.flags(
                Map.of("port", "0", "data-dir", dataDir.toString(), "quiet-time", "300ms")));
    try (App app =
            App.start(
                AppConfig.defaults(),
                new ModelConfig(model, "cpu", TinyModel.CACHE, Optional.empty()));
        App.Serving serving = app.serveWithReview(serve, app.pipeline()::run, () -> true)) {
      String base = "http://127.0.0.1:" + serving.port();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> stored =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies"))
                  .header(
                      "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b")
                  .header("Accept", "application/dicom+json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(STUDY)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(stored.statusCode()).isEqualTo(200);

      List<Suggestion> suggestions = waitForSuggestions(serving, 1);
      assertThat(suggestions).hasSize(1);
      Suggestion s = suggestions.get(0);
      assertThat(s.status()).isEqualTo("preliminary");
      JsonNode report =
          new ObjectMapper()
              .readTree(
                  serving
                      .review()
                      .reports()
                      .read("DiagnosticReport", s.reportId())
                      .orElseThrow()
                      .json());
      assertThat(report.path("status").asText()).isEqualTo("preliminary");
      assertThat(report.path("conclusion").asText())
          .startsWith("AI-generated suggestion; requires clinician review.");
      assertThat(report.has("resultsInterpreter")).isFalse();
      assertThat(report.path("result")).hasSize(5);

      int dicomPort = serving.dicomPort().orElseThrow();
      Process storescu =
          new ProcessBuilder(
                  "storescu",
                  "-xs",
                  "-aec",
                  "TANDEM",
                  "127.0.0.1",
                  String.valueOf(dicomPort),
                  SECOND_STUDY.toString())
              .redirectErrorStream(true)
              .start();
      String storescuOutput = new String(storescu.getInputStream().readAllBytes());
      assertThat(storescu.waitFor()).as(storescuOutput).isZero();
      assertThat(waitForSuggestions(serving, 2)).as("C-STORE study analysed too").hasSize(2);
      // the received instance is audited: DICOM Instances Transferred, by the calling AE
      assertThat(serving.review().audit().query(Set.of(), Optional.empty(), 100))
          .anySatisfy(
              e -> {
                assertThat(e.type()).isEqualTo(AuditType.INSTANCES_TRANSFERRED.code());
                assertThat(e.agent()).isEqualTo("dicom/STORESCU");
                assertThat(e.entity())
                    .hasValueSatisfying(x -> assertThat(x).startsWith("urn:oid:"));
                assertThat(e.patientKey()).isPresent();
                assertThat(e.outcome()).isEqualTo("0");
              });

      HttpResponse<String> panel =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/review")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(panel.statusCode()).isEqualTo(200);
      assertThat(panel.body()).containsIgnoringCase("AI suggestion");
      HttpResponse<String> noSession =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/review/session")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(noSession.statusCode())
          .as("the review module's coded errors keep their statuses under serve")
          .isEqualTo(401);
      assertThat(noSession.body()).contains("TDM-840");
    }
  }

  private static List<Suggestion> waitForSuggestions(App.Serving serving, int count)
      throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      List<Suggestion> found =
          serving
              .review()
              .reports()
              .search(Set.of(), Set.of(), Optional.empty(), Optional.empty(), 10);
      if (found.size() >= count) {
        return found;
      }
      Thread.sleep(200);
    }
    return serving
        .review()
        .reports()
        .search(Set.of(), Set.of(), Optional.empty(), Optional.empty(), 10);
  }

  private static byte[] multipart(Path file) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        "--b\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    body.write(Files.readAllBytes(file));
    body.write("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
    return body.toByteArray();
  }
}
