package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.domain.AuditRecord;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * {@code tandem serve} with {@code auth=bearer}, in-process on an ephemeral loopback port (embedded
 * database, {@link ParseOnlyAnalyzer}): every ingest route and {@code $analyze} with its status URL
 * answers 401 (TDM-840, {@code WWW-Authenticate: Bearer}) without a valid system client token, 403
 * (TDM-841) for a token without the route's write scope, and stores the data with it; a refused
 * request stores nothing (a refused STOW-RS body is not even sent when the client waits for {@code
 * 100 Continue}); refusals are Security Alert audit events and the ingest events name the client.
 */
@Timeout(300)
class IngestAuthIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path samples;
  @TempDir static Path dataDir;
  private static App app;
  private static App.Serving serving;
  private static Client client;
  private static List<Path> studies;

  @BeforeAll
  static void start() throws IOException {
    studies = TinyStudies.write(samples, 3, 811);
    app = App.start(AppConfig.defaults());
    ServeConfig config = config(dataDir, "auth", "bearer");
    serving =
        app.serve(
            config,
            new ParseOnlyAnalyzer(app.caseParser(), config.processId(), Duration.ZERO),
            () -> true,
            List.of(),
            List.of());
    client = new Client(serving.port());
  }

  @AfterAll
  static void stop() {
    if (serving != null) {
      serving.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void stow_rs_needs_imaging_study_write_and_a_refused_request_stores_nothing() throws Exception {
    Path image = TinyStudies.image(studies.get(0));
    String uid = ServeIT.studyUid(image);
    String pacs = token("pacs", "system/ImagingStudy.write");
    String reader = token("stow-reader", "system/*.read", "system/DocumentReference.write");

    StowAttempt anonymous = stow(image, null);
    assertRefused(anonymous, 401, "TDM-840");
    assertThat(anonymous.headers).containsIgnoringCase("WWW-Authenticate: Bearer");
    assertThat(anonymous.uploaded).as("the body is refused before it is read").isZero();
    StowAttempt invalid = stow(image, "not-a-token");
    assertRefused(invalid, 401, "TDM-840");
    assertThat(invalid.uploaded).isZero();
    StowAttempt wrongScope = stow(image, reader);
    assertRefused(wrongScope, 403, "TDM-841");
    assertThat(wrongScope.headers).contains("insufficient_scope");
    assertThat(wrongScope.uploaded).isZero();
    // nor is anything sent without waiting for 100 Continue stored
    HttpResponse<String> pushed =
        client.post(
            "/dicomweb/studies",
            "multipart/related; type=\"application/dicom\"; boundary=b",
            multipart(image, "b"),
            "Authorization",
            "Bearer " + reader);
    assertRefused(pushed, 403, "TDM-841");
    assertThat(serving.studies().instances(uid)).isEmpty();
    assertThat(filesUnder(dataDir.resolve("studies").resolve(uid))).isEmpty();
    assertThat(filesUnder(dataDir.resolve("spool"))).isEmpty();

    StowAttempt stored = stow(image, pacs);
    assertThat(stored.status).as(stored.body).isEqualTo(200);
    assertThat(stored.uploaded).as("sent once the server read it").isEqualTo(stored.size);
    assertThat(JSON.readTree(stored.body).has("00081199")).isTrue();
    assertThat(serving.studies().instances(uid)).hasSize(1);
    assertThat(Files.exists(serving.studies().path(serving.studies().instances(uid).get(0))))
        .isTrue();

    List<AuditRecord> audit = audit();
    assertThat(audit)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(AuditType.INSTANCES_TRANSFERRED.code());
              assertThat(e.agent()).isEqualTo("client/pacs");
              assertThat(e.entity()).contains("urn:oid:" + uid);
              assertThat(e.outcome()).isEqualTo("0");
            });
    assertRefusalAudited(audit, "unauthenticated", "POST /dicomweb/studies", "TDM-840");
    assertRefusalAudited(audit, "client/stow-reader", "POST /dicomweb/studies", "TDM-841");
    assertThat(audit)
        .as("a refused request is a Security Alert, not a failed transfer")
        .noneSatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(AuditType.INSTANCES_TRANSFERRED.code());
              assertThat(e.outcome()).isEqualTo("4");
            });
  }

  @Test
  void a_fhir_bundle_needs_the_write_scope_of_every_entry_and_is_refused_whole() throws Exception {
    byte[] transaction = TinyStudies.transaction(studies.get(1));
    byte[] batch =
        new String(transaction, StandardCharsets.UTF_8)
            .replace("\"transaction\"", "\"batch\"")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(types(transaction))
        .containsExactlyInAnyOrder(
            "Patient", "ServiceRequest", "ImagingStudy", "DocumentReference");
    String notesOnly =
        token("notes-only", "system/DocumentReference.write", "system/Patient.write");
    String ehr =
        token(
            "ehr-writer",
            "system/Patient.write",
            "system/ServiceRequest.write",
            "system/ImagingStudy.write",
            "system/DocumentReference.write");
    String anyWrite = token("any-writer", "system/*.write");

    assertRefused(client.fhir("/fhir", transaction), 401, "TDM-840");
    assertRefused(
        client.fhir("/fhir", transaction, "Authorization", "Basic dXNlcjpwYXNz"), 401, "TDM-840");
    // two of the four entry types allowed: the whole request is refused, no entry stored
    assertRefused(
        client.fhir("/fhir", transaction, "Authorization", "Bearer " + notesOnly), 403, "TDM-841");
    assertRefused(
        client.fhir("/fhir", batch, "Authorization", "Bearer " + notesOnly), 403, "TDM-841");

    HttpResponse<String> stored =
        client.fhir("/fhir", transaction, "Authorization", "Bearer " + ehr);
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(statuses(stored))
        .as("every entry is new: the refused requests stored none")
        .hasSize(4)
        .allMatch(s -> s.equals("201 Created"));
    HttpResponse<String> again = client.fhir("/fhir", batch, "Authorization", "Bearer " + anyWrite);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(statuses(again)).hasSize(4).allMatch(s -> s.equals("200 OK"));

    List<AuditRecord> audit = audit();
    assertThat(audit)
        .filteredOn(e -> e.type().equals(AuditType.TRANSACTION.code()))
        .filteredOn(e -> e.agent().equals("client/ehr-writer") && e.outcome().equals("0"))
        .hasSize(4);
    assertThat(audit)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(AuditType.BATCH.code());
              assertThat(e.agent()).isEqualTo("client/any-writer");
            });
    assertRefusalAudited(audit, "client/notes-only", "POST /fhir", "TDM-841");
    assertThat(audit)
        .as("the refused client wrote nothing: its only events are the two refusals")
        .filteredOn(e -> e.agent().equals("client/notes-only"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.type()).isEqualTo(AuditType.ACCESS_REFUSED.code()));
  }

  @Test
  void a_document_reference_needs_document_reference_write() throws Exception {
    byte[] note = Files.readAllBytes(Path.of("docs", "examples", "document-reference.json"));
    String patientOnly = token("patient-writer", "system/Patient.write", "system/*.read");
    String notes = token("note-writer", "system/DocumentReference.write");

    assertRefused(client.fhir("/fhir/DocumentReference", note), 401, "TDM-840");
    assertRefused(
        client.fhir("/fhir/DocumentReference", note, "Authorization", "Bearer " + patientOnly),
        403,
        "TDM-841");
    HttpResponse<String> created =
        client.fhir("/fhir/DocumentReference", note, "Authorization", "Bearer " + notes);
    assertThat(created.statusCode()).as("stored now, not before: " + created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/fhir/DocumentReference/"));

    List<AuditRecord> audit = audit();
    assertThat(audit)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(AuditType.CREATE.code());
              assertThat(e.agent()).isEqualTo("client/note-writer");
              assertThat(e.entity()).hasValueSatisfying(x -> assertThat(x).startsWith("Document"));
              assertThat(e.outcome()).isEqualTo("0");
            });
    assertRefusalAudited(audit, "client/patient-writer", "POST /fhir/DocumentReference", "TDM-841");
  }

  @Test
  void analyze_and_its_status_url_need_diagnostic_report_write() throws Exception {
    Path study = studies.get(2);
    String uid = ServeIT.studyUid(TinyStudies.image(study));
    String loader = token("loader", "system/*.write");
    assertThat(stow(TinyStudies.image(study), loader).status).isEqualTo(200);
    HttpResponse<String> notes =
        client.fhir("/fhir", TinyStudies.transaction(study), "Authorization", "Bearer " + loader);
    assertThat(notes.statusCode()).as(notes.body()).isEqualTo(200);
    String note = noteOf(notes);
    byte[] parameters = ServeIT.parameters(uid, note);
    String reader = token("report-reader", "system/*.read");
    String analyst = token("analyst", "system/DiagnosticReport.write");

    String path = "/fhir/DiagnosticReport/$analyze";
    assertRefused(client.fhir(path, parameters, "Prefer", "respond-async"), 401, "TDM-840");
    assertRefused(
        client.fhir(
            path, parameters, "Prefer", "respond-async", "Authorization", "Bearer " + reader),
        403,
        "TDM-841");
    // an inline note is a DocumentReference write as well: refused, and not stored
    ObjectNode inlineNote = note("note-inline-" + UUID.randomUUID());
    assertRefused(
        client.fhir(
            path,
            inlineParameters(uid, inlineNote),
            "Prefer",
            "respond-async",
            "Authorization",
            "Bearer " + analyst),
        403,
        "TDM-841");
    assertThat(serving.queue().depth().values().stream().mapToLong(Long::longValue).sum())
        .as("no job queued by a refused call")
        .isZero();
    HttpResponse<String> inlineLater =
        client.fhir(
            "/fhir/DocumentReference",
            JSON.writeValueAsBytes(inlineNote),
            "Authorization",
            "Bearer " + loader);
    assertThat(inlineLater.statusCode())
        .as("the refused inline note was not stored: " + inlineLater.body())
        .isEqualTo(201);

    HttpResponse<String> accepted =
        client.fhir(
            path, parameters, "Prefer", "respond-async", "Authorization", "Bearer " + analyst);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String status =
        accepted
            .headers()
            .firstValue("Content-Location")
            .orElseThrow()
            .substring(client.base().length());
    assertRefused(client.get(status), 401, "TDM-840");
    assertRefused(client.get(status, "Authorization", "Bearer " + reader), 403, "TDM-841");
    HttpResponse<String> result = client.get(status, "Authorization", "Bearer " + analyst);
    for (int i = 0; i < 600 && result.statusCode() == 202; i++) {
      Thread.sleep(100);
      result = client.get(status, "Authorization", "Bearer " + analyst);
    }
    assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
    assertThat(JSON.readTree(result.body()).path("type").asText()).isEqualTo("batch-response");

    // another client with the same scope does not read this job: answered as an unknown job
    String other = token("other-analyst", "system/DiagnosticReport.write");
    assertRefused(client.get(status, "Authorization", "Bearer " + other), 404, "TDM-809");
    // until it asks for the same analysis itself: the same job (same study, instances, notes)
    HttpResponse<String> same =
        client.fhir(
            path, parameters, "Prefer", "respond-async", "Authorization", "Bearer " + other);
    assertThat(same.statusCode()).as(same.body()).isEqualTo(202);
    assertThat(same.headers().firstValue("Content-Location").orElseThrow())
        .isEqualTo(client.base() + status);
    HttpResponse<String> shared = client.get(status, "Authorization", "Bearer " + other);
    assertThat(shared.statusCode()).as(shared.body()).isEqualTo(200);
    assertThat(shared.body()).isEqualTo(result.body());

    List<AuditRecord> audit = audit();
    for (String action : List.of("E", "R")) {
      assertThat(audit)
          .as("$analyze " + action)
          .anySatisfy(
              e -> {
                assertThat(e.type()).isEqualTo(AuditType.OPERATION.code());
                assertThat(e.action()).isEqualTo(action);
                assertThat(e.agent()).isEqualTo("client/analyst");
                assertThat(e.entity()).contains("urn:oid:" + uid);
              });
    }
    assertRefusalAudited(audit, "client/report-reader", path, "TDM-841");
    assertRefusalAudited(audit, "client/report-reader", status, "TDM-841");
    assertRefusalAudited(audit, "client/analyst", path, "TDM-841");
  }

  @Test
  void bearer_starts_the_product_module_set_and_other_schemes_or_unenforced_modules_are_refused(
      @TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> config(dir, "auth", "bogus"))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
        .hasMessageContaining("TDM-810");
    assertThat(
            config(dir, "auth", "bearer", "host", "0.0.0.0", "tls-keystore", "/k.p12")
                .authenticated())
        .isTrue();
    assertThatThrownBy(() -> config(dir, "host", "0.0.0.0", "tls-keystore", "/k.p12"))
        .hasMessageContaining("TDM-811");

    ServeConfig bearer = config(dir.resolve("product"), "auth", "bearer");
    ParseOnlyAnalyzer analyzer = new ParseOnlyAnalyzer(app.caseParser(), "p", Duration.ZERO);
    try (App.Serving product = app.serveWithReview(bearer, analyzer, () -> true)) {
      Client productClient = new Client(product.port());
      assertThat(productClient.get("/health").statusCode()).isEqualTo(200);
      var metadata = productClient.get("/fhir/metadata");
      assertThat(metadata.statusCode()).isEqualTo(200);
      assertThat(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .readTree(metadata.body())
                  .at("/rest/0/security/description")
                  .asText())
          .contains("Ingest", "needs", "system/<Type>.write");
      assertRefused(
          productClient.post(
              "/dicomweb/studies",
              "multipart/related; type=\"application/dicom\"; boundary=b",
              multipart(TinyStudies.image(studies.get(0)), "b")),
          401,
          "TDM-840");
    }

    Routes unenforced = routes -> routes.get("/open", ctx -> ctx.result("open"));
    assertThatThrownBy(
            () ->
                app.serve(
                    config(dir.resolve("open"), "auth", "bearer"),
                    analyzer,
                    () -> true,
                    List.of(),
                    List.of(unenforced)))
        .isInstanceOf(CdsException.class)
        .hasMessageContaining("TDM-810")
        .hasMessageContaining("does not enforce");
  }

  private static ServeConfig config(Path dir, String... settings) {
    Map<String, String> values = new java.util.HashMap<>();
    values.put("port", "0");
    values.put("dicom-port", "-1");
    values.put("data-dir", dir.toString());
    values.put("quiet-time", "1h");
    for (int i = 0; i < settings.length; i += 2) {
      values.put(settings[i], settings[i + 1]);
    }
    return ServeConfig.of(ConfigSources.flags(values));
  }

  private static String token(String client, String... scopes) {
    return serving.review().authenticator().issueToken(client, Set.of(scopes), Duration.ofHours(1));
  }

  /**
   * A STOW-RS answer (status, headers, body), how many bytes of the request body curl sent and how
   * large the body was.
   */
  private record StowAttempt(int status, String headers, String body, long uploaded, long size) {}

  /**
   * STOW-RS of one file by curl with {@code Expect: 100-continue}, waiting up to 60 s for the
   * server's go-ahead: the body is sent only once the server starts reading it (Jetty answers 100
   * Continue on the first read), so {@code uploaded} is 0 for a request refused before its body.
   */
  private static StowAttempt stow(Path file, String token) throws Exception {
    String boundary = "tandem-" + UUID.randomUUID();
    Path dir = Files.createTempDirectory(dataDir.getParent(), "stow");
    Path body = Files.write(dir.resolve("body"), multipart(file, boundary));
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--expect100-timeout",
                "60",
                "-H",
                "Expect: 100-continue",
                "-H",
                "Content-Type: multipart/related; type=\"application/dicom\"; boundary=" + boundary,
                "-H",
                "Accept: application/dicom+json",
                "--data-binary",
                "@" + body,
                "-D",
                dir.resolve("headers").toString(),
                "-o",
                dir.resolve("answer").toString(),
                "-w",
                "%{http_code} %{size_upload}",
                client.base() + "/dicomweb/studies"));
    if (token != null) {
      command.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    String[] written = ServeIT.run(command.toArray(String[]::new)).strip().split(" ");
    return new StowAttempt(
        Integer.parseInt(written[0]),
        Files.readString(dir.resolve("headers")),
        Files.readString(dir.resolve("answer")),
        Long.parseLong(written[1]),
        Files.size(body));
  }

  private static byte[] multipart(Path file, String boundary) throws IOException {
    try (var in = StowClient.multipart(List.of(file), boundary)) {
      return in.readAllBytes();
    }
  }

  private static void assertRefused(HttpResponse<String> response, int status, String code)
      throws IOException {
    ServeIT.assertOutcome(response, status, code);
  }

  private static void assertRefused(StowAttempt attempt, int status, String code)
      throws IOException {
    assertThat(attempt.status).as(attempt.body).isEqualTo(status);
    JsonNode outcome = JSON.readTree(attempt.body);
    assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(outcome.at("/issue/0/details/coding/0/code").asText()).isEqualTo(code);
  }

  private static void assertRefusalAudited(
      List<AuditRecord> audit, String agent, String path, String code) {
    assertThat(audit)
        .as(agent + " refused at " + path + " with " + code)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(AuditType.ACCESS_REFUSED.code());
              assertThat(e.agent()).isEqualTo(agent);
              assertThat(e.outcome()).isEqualTo("4");
              assertThat(e.description()).contains(path + " refused: " + code);
            });
  }

  private static List<AuditRecord> audit() {
    return serving.review().audit().query(Set.of(), Optional.empty(), 10_000);
  }

  private static List<String> filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(Path::toString).toList();
    }
  }

  private static List<String> types(byte[] bundle) throws IOException {
    return JSON.readTree(bundle).findValues("resource").stream()
        .map(r -> r.path("resourceType").asText())
        .toList();
  }

  private static List<String> statuses(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body()).findValues("status").stream()
        .map(JsonNode::asText)
        .toList();
  }

  private static String noteOf(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body()).findValues("location").stream()
        .map(JsonNode::asText)
        .filter(l -> l.startsWith("DocumentReference/"))
        .findFirst()
        .orElseThrow()
        .replace("/_history/1", "");
  }

  /** The documented example DocumentReference under another id. */
  private static ObjectNode note(String id) throws IOException {
    ObjectNode note =
        (ObjectNode)
            JSON.readTree(
                Files.readAllBytes(Path.of("docs", "examples", "document-reference.json")));
    return note.put("id", id);
  }

  /** $analyze Parameters with the study and an inline DocumentReference. */
  private static byte[] inlineParameters(String uid, ObjectNode note) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("resourceType", "Parameters");
    var list = root.putArray("parameter");
    list.addObject().put("name", "studyInstanceUid").put("valueOid", "urn:oid:" + uid);
    list.addObject().put("name", "note").set("resource", note);
    return JSON.writeValueAsBytes(root);
  }
}
