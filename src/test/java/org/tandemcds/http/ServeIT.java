package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.store.AnalysisResults.StoredResult;
import org.tandemcds.store.JobState;

/**
 * {@code tandem serve} in-process on an ephemeral loopback port, on the embedded H2 database and on
 * the local PostgreSQL: STOW-RS and FHIR ingest, the quiet-study trigger, $analyze (synchronous and
 * asynchronous), errors as OperationOutcomes, health, metrics and the CapabilityStatement. The
 * analyses are run by {@link ParseOnlyAnalyzer} (real parsing, no model).
 */
@Timeout(180)
class ServeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static App app;
  private static List<Path> studies;

  @TempDir static Path samples;
  @TempDir Path dataDir;

  @BeforeAll
  static void startApp() throws IOException {
    app = App.start(AppConfig.defaults());
    studies = TinyStudies.write(samples.resolve("tiny"), 3, 6061);
  }

  @AfterAll
  static void closeApp() {
    app.close();
  }

  private App.Serving serve(ServerDatabase.Instance db, String... settings) {
    Map<String, String> values = new HashMap<>(db.settings());
    values.put("port", "0");
    values.put("quiet-time", "300ms");
    values.put("retry-backoff", "100ms");
    values.put("max-fhir-bytes", "200000");
    for (int i = 0; i < settings.length; i += 2) {
      values.put(settings[i], settings[i + 1]);
    }
    ServeConfig config = ServeConfig.of(ConfigSources.merge(Optional.empty(), Map.of(), values));
    return app.serve(
        config,
        new ParseOnlyAnalyzer(app.caseParser(), config.processId(), Duration.ZERO),
        () -> true,
        List.of(),
        List.of());
  }

  @ParameterizedTest
  @EnumSource(ServerDatabase.class)
  void a_quiet_study_is_analysed_once_per_instance_set_with_its_stored_note(ServerDatabase target)
      throws Exception {
    try (ServerDatabase.Instance db = target.create(dataDir);
        App.Serving serving = serve(db)) {
      Client client = new Client(serving.port());
      Path study = studies.get(0);
      HttpResponse<String> posted = client.fhir("/fhir", TinyStudies.transaction(study));
      assertThat(posted.statusCode()).isEqualTo(200);
      JsonNode response = JSON.readTree(posted.body());
      assertThat(response.get("type").asText()).isEqualTo("transaction-response");
      assertThat(response.get("entry"))
          .allSatisfy(e -> assertThat(e.at("/response/status").asText()).isEqualTo("201 Created"));

      HttpResponse<String> stowed = client.stow(List.of(TinyStudies.image(study)));
      assertThat(stowed.statusCode()).isEqualTo(200);
      String sop = JSON.readTree(stowed.body()).at("/00081199/Value/0/00081155/Value/0").asText();
      assertThat(sop).isNotBlank();
      String uid = studyUid(TinyStudies.image(study));

      List<StoredResult> first = await(() -> serving.results().forStudy(uid), 1);
      assertThat(first.get(0).mode()).isEqualTo("image+note");
      assertThat(first.get(0).bundleJson())
          .contains("urn:oid:" + sop)
          .contains("DocumentReference/");

      // The same instance again: a duplicate, no new analysis.
      assertThat(client.stow(List.of(TinyStudies.image(study))).statusCode()).isEqualTo(200);
      Thread.sleep(700);
      assertThat(serving.trigger().check()).isZero();
      assertThat(serving.results().forStudy(uid)).hasSize(1);

      // The study grows by one instance: analysed once more, with both instances.
      Path second = dataDir.resolveSibling(dataDir.getFileName() + "-second.dcm");
      Files.copy(TinyStudies.image(study), second);
      run("dcmodify", "-nb", "-m", "(0008,0018)=" + sop + ".2", second.toString());
      assertThat(client.stow(List.of(second)).statusCode()).isEqualTo(200);
      List<StoredResult> both = await(() -> serving.results().forStudy(uid), 2);
      assertThat(both.get(1).bundleJson())
          .contains("urn:oid:" + sop + "\"")
          .contains("urn:oid:" + sop + ".2\"");
      Thread.sleep(700);
      assertThat(serving.trigger().check()).isZero();
      assertThat(serving.results().forStudy(uid)).hasSize(2);
      assertThat(serving.queue().depth())
          .containsEntry(JobState.DONE, 2L)
          .containsEntry(JobState.FAILED, 0L);

      // A study whose note was never sent is analysed image-only.
      Path other = studies.get(1);
      String otherUid = studyUid(TinyStudies.image(other));
      assertThat(client.stow(List.of(TinyStudies.image(other))).statusCode()).isEqualTo(200);
      assertThat(await(() -> serving.results().forStudy(otherUid), 1).get(0).mode())
          .isEqualTo("image-only");
    }
  }

  @ParameterizedTest
  @EnumSource(ServerDatabase.class)
  void analyze_answers_synchronously_and_by_the_asynchronous_pattern(ServerDatabase target)
      throws Exception {
    try (ServerDatabase.Instance db = target.create(dataDir);
        App.Serving serving = serve(db, "quiet-time", "1h")) {
      Client client = new Client(serving.port());
      Path study = studies.get(2);
      JsonNode posted = JSON.readTree(client.fhir("/fhir", TinyStudies.transaction(study)).body());
      String note =
          posted.findValues("location").stream()
              .map(JsonNode::asText)
              .filter(l -> l.startsWith("DocumentReference/"))
              .findFirst()
              .orElseThrow()
              .replace("/_history/1", "");
      assertThat(client.stow(List.of(TinyStudies.image(study))).statusCode()).isEqualTo(200);
      String uid = studyUid(TinyStudies.image(study));
      byte[] parameters = parameters(uid, note);

      HttpResponse<String> sync = client.fhir("/fhir/DiagnosticReport/$analyze", parameters);
      assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
      assertThat(sync.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+json"));
      JsonNode report = JSON.readTree(sync.body());
      assertThat(report.get("resourceType").asText()).isEqualTo("Bundle");
      assertThat(sync.body()).contains(note).contains("image+note");
      String runId = sync.headers().firstValue("X-Run-Id").orElseThrow();

      HttpResponse<String> accepted =
          client.fhir("/fhir/DiagnosticReport/$analyze", parameters, "Prefer", "respond-async");
      assertThat(accepted.statusCode()).isEqualTo(202);
      String status = accepted.headers().firstValue("Content-Location").orElseThrow();
      assertThat(status).startsWith(client.base() + "/fhir/_jobs/");
      HttpResponse<String> polled = client.get(status.substring(client.base().length()));
      assertThat(polled.statusCode()).isEqualTo(200);
      JsonNode wrapped = JSON.readTree(polled.body());
      assertThat(wrapped.get("type").asText()).isEqualTo("batch-response");
      assertThat(wrapped.at("/entry/0/response/status").asText()).isEqualTo("200 OK");
      assertThat(wrapped.at("/entry/0/resource/id").asText()).isEqualTo(runId);

      HttpResponse<String> unknown =
          client.fhir("/fhir/DiagnosticReport/$analyze", parameters("1.2.3.4.5", note));
      assertOutcome(unknown, 404, "TDM-807");
      HttpResponse<String> missingNote =
          client.fhir("/fhir/DiagnosticReport/$analyze", parameters(uid, "DocumentReference/nope"));
      assertOutcome(missingNote, 404, "TDM-808");
      assertOutcome(client.get("/fhir/_jobs/987654"), 404, "TDM-809");
    }
  }

  @ParameterizedTest
  @EnumSource(ServerDatabase.class)
  void every_refusal_is_an_operation_outcome_with_the_status_of_its_code(ServerDatabase target)
      throws Exception {
    try (ServerDatabase.Instance db = target.create(dataDir);
        App.Serving serving = serve(db)) {
      Client client = new Client(serving.port());
      byte[] bundle = TinyStudies.transaction(studies.get(0));
      assertOutcome(client.post("/fhir", "text/plain", bundle), 415, "TDM-801");
      assertOutcome(client.fhir("/fhir", new byte[300_000]), 413, "TDM-800");
      String deep = "[".repeat(100) + "]".repeat(100);
      assertOutcome(client.fhir("/fhir", deep.getBytes(StandardCharsets.US_ASCII)), 400, "TDM-802");
      assertOutcome(
          client.fhir(
              "/fhir", "{\"resourceType\": \"Bundle\", ".getBytes(StandardCharsets.US_ASCII)),
          400,
          "TDM-201");
      assertOutcome(
          client.fhir(
              "/fhir",
              "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}"
                  .getBytes(StandardCharsets.US_ASCII)),
          400,
          "TDM-814");
      assertOutcome(client.get("/no/such/endpoint"), 404, "TDM-804");
      String orphan =
          "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"DocumentReference\",\"id\":\"orphan\",\"status\":\"current\",\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"SW1wcmVzc2lvbjogbm9ybWFsLg==\"}}]},\"request\":{\"method\":\"POST\",\"url\":\"DocumentReference\"}}]}";
      assertOutcome(
          client.fhir("/fhir", orphan.getBytes(StandardCharsets.US_ASCII)), 422, "TDM-303");
      HttpResponse<String> batch =
          client.fhir(
              "/fhir", orphan.replace("transaction", "batch").getBytes(StandardCharsets.US_ASCII));
      assertThat(batch.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(batch.body()).at("/entry/0/response/status").asText())
          .startsWith("422");
      assertThat(
              JSON.readTree(batch.body())
                  .at("/entry/0/response/outcome/issue/0/details/coding/0/code")
                  .asText())
          .isEqualTo("TDM-303");

      Path garbage =
          Files.writeString(
              dataDir.resolveSibling(dataDir.getFileName() + "-garbage.dcm"), "not DICOM at all");
      HttpResponse<String> refused = client.stow(List.of(garbage));
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(JSON.readTree(refused.body()).at("/00081198/Value/0/00081197/Value/0").asInt())
          .isEqualTo(0xC000);
      assertOutcome(
          client.post("/dicomweb/studies", "application/dicom", new byte[10]), 415, "TDM-801");
      String open = "--b\r\nContent-Type: application/dicom\r\n\r\nshort and never closed";
      assertOutcome(
          client.post(
              "/dicomweb/studies",
              "multipart/related; type=\"application/dicom\"; boundary=b",
              open.getBytes(StandardCharsets.US_ASCII)),
          400,
          "TDM-803");
    }
  }

  @ParameterizedTest
  @EnumSource(ServerDatabase.class)
  void health_metrics_and_capability_statement_tell_the_truth(ServerDatabase target)
      throws Exception {
    try (ServerDatabase.Instance db = target.create(dataDir);
        App.Serving serving = serve(db)) {
      Client client = new Client(serving.port());
      Path study = studies.get(0);
      String uid = studyUid(TinyStudies.image(study));
      client.stow(List.of(TinyStudies.image(study)));
      await(() -> serving.results().forStudy(uid), 1);
      client.post("/fhir", "text/plain", new byte[1]);

      assertThat(client.get("/health").body()).contains("\"UP\"");
      HttpResponse<String> ready = client.get("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(ready.body()).at("/checks/database").asText()).isEqualTo("UP");
      String metrics = client.get("/metrics").body();
      assertThat(metrics)
          .contains("tandem_queue_jobs{state=\"done\"} 1.0")
          .contains("tandem_analysis_stage_seconds_count{stage=\"parse\"} 1")
          .contains("tandem_errors_total{code=\"TDM-801\"} 1.0")
          .contains("tandem_analyses_total{mode=\"image-only\"} 1.0");
      JsonNode capability = JSON.readTree(client.get("/fhir/metadata").body());
      assertThat(capability.get("resourceType").asText()).isEqualTo("CapabilityStatement");
      assertThat(capability.at("/rest/0/interaction").findValuesAsText("code"))
          .containsExactly("transaction", "batch");
      assertThat(capability.at("/rest/0/resource").findValuesAsText("type"))
          .containsExactly("DocumentReference", "DiagnosticReport");
      assertThat(capability.at("/rest/0/resource/1/operation/0/name").asText())
          .isEqualTo("analyze");
      assertThat(capability.at("/rest/0/security/description").asText())
          .contains("system/<Type>.read", "is open", "loopback address only");
    }
  }

  @org.junit.jupiter.api.Test
  void tls_with_bearer_auth_serves_https_only_refuses_anonymous_ingest_and_unknown_auth_schemes()
      throws Exception {
    Path keystore = dataDir.resolveSibling(dataDir.getFileName() + "-tls.p12");
    run(
        "keytool",
        "-genkeypair",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit",
        "-alias",
        "tandem",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=localhost",
        "-validity",
        "2");
    try (ServerDatabase.Instance db = ServerDatabase.H2.create(dataDir);
        App.Serving serving =
            serve(
                db,
                "tls-keystore",
                keystore.toString(),
                "tls-keystore-password",
                "changeit",
                "auth",
                "bearer")) {
      String port = String.valueOf(serving.port());
      // The certificate names localhost; Jetty checks the SNI host against it.
      String https =
          run(
              "curl",
              "-sS",
              "-k",
              "--resolve",
              "localhost:" + port + ":127.0.0.1",
              "https://localhost:" + port + "/health");
      assertThat(https).contains("\"UP\"");
      String anonymousIngest =
          run(
              "curl",
              "-sS",
              "-k",
              "-o",
              "/dev/null",
              "-w",
              "%{http_code}",
              "--resolve",
              "localhost:" + port + ":127.0.0.1",
              "-X",
              "POST",
              "-H",
              "Content-Type: application/fhir+json",
              "--data-binary",
              "@docs/examples/transaction.json",
              "https://localhost:" + port + "/fhir");
      assertThat(anonymousIngest).isEqualTo("401");
      Process plain =
          new ProcessBuilder(
                  "curl",
                  "-sS",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_code}",
                  "http://127.0.0.1:" + serving.port() + "/health")
              .start();
      String code = new String(plain.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      plain.waitFor();
      assertThat(code).as("plain HTTP on the TLS port").isNotEqualTo("200");
    }
    try (ServerDatabase.Instance db = ServerDatabase.H2.create(dataDir.resolve("auth"))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> serve(db, "auth", "bogus"))
          .isInstanceOf(org.tandemcds.domain.CdsException.class)
          .hasMessageContaining("TDM-810");
    }
  }

  static byte[] parameters(String studyUid, String note) throws IOException {
    var root = JSON.createObjectNode().put("resourceType", "Parameters");
    var list = root.putArray("parameter");
    list.addObject().put("name", "studyInstanceUid").put("valueOid", "urn:oid:" + studyUid);
    list.addObject().put("name", "note").putObject("valueReference").put("reference", note);
    return JSON.writeValueAsBytes(root);
  }

  static void assertOutcome(HttpResponse<String> response, int status, String code)
      throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode outcome = JSON.readTree(response.body());
    assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(outcome.at("/issue/0/details/coding/0/code").asText()).isEqualTo(code);
  }

  static String studyUid(Path dicom) throws IOException, InterruptedException {
    String dump = run("dcmdump", "+P", "0020,000d", dicom.toString());
    return dump.substring(dump.indexOf('[') + 1, dump.indexOf(']'));
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    return output;
  }

  static <T> List<T> await(Supplier<List<T>> read, int size) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    List<T> found = read.get();
    while (found.size() < size && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
      found = read.get();
    }
    assertThat(found).hasSize(size);
    return found;
  }
}
