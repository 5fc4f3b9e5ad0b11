package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.App;
import org.tandemcds.ShippedApp;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.store.Suggestion;

/**
 * Every read or write of patient data is a FHIR AuditEvent an admin can query: {@code tandem serve}
 * as the product runs it (review module, the shipped model's pipeline) on port 0 receives a study
 * over STOW-RS and notes over {@code POST /fhir} and {@code POST /fhir/DocumentReference}, analyses
 * it through {@code $analyze}, serves the report, its Observations and Media to a system client and
 * cards to an EHR over CDS Hooks; then {@code GET /fhir/AuditEvent} must show each of those with
 * its FHIR R4 type and subtype, the agent, the study or resource, the pseudonymous patient and a
 * success outcome, and the refused requests with a failure outcome.
 */
@Timeout(600)
class AuditTrailIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path MODEL = Path.of("models", "tandem-cxr-fusion");
  private static final Path STUDY = Path.of("sample-studies", "study-000003");
  private static final String ISSUER = "https://ehr.example.org";
  private static final String REST = "http://terminology.hl7.org/CodeSystem/audit-event-type";
  private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

  @TempDir static Path dataDir;
  private static HttpServer jwks;
  private static ECKey ehrKey;
  private static App app;
  private static App.Serving serving;
  private static Client client;
  private static String readToken;
  private static String auditToken;

  @BeforeAll
  static void start() throws Exception {
    ehrKey = new ECKeyGenerator(Curve.P_384).keyID("ehr").generate();
    jwks = TestServer.jwksServer(new JWKSet(ehrKey).toPublicJWKSet().toString());
    String jwksUrl = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
    ServeConfig serve =
        ServeConfig.of(
            ConfigSources.flags(
                Map.of(
                    "port", "0",
                    "dicom-port", "-1",
                    "data-dir", dataDir.toString(),
                    "quiet-time", "1h",
                    "cds-hooks-issuers", ISSUER + "=" + jwksUrl)));
    app = ShippedApp.start();
    serving = app.serveWithReview(serve, app.pipeline()::run, () -> true);
    client = new Client(serving.port());
    var auth = serving.review().authenticator();
    readToken = auth.issueToken("ehr-reader", Set.of("system/*.read"), Duration.ofDays(1));
    auditToken = auth.issueToken("auditor", Set.of("system/AuditEvent.read"), Duration.ofDays(1));
  }

  @AfterAll
  static void stop() {
    if (serving != null) {
      serving.close();
    }
    if (app != null) {
      app.close();
    }
    if (jwks != null) {
      jwks.stop(0);
    }
  }

  @Test
  void each_read_and_write_of_patient_data_is_an_audit_event_with_agent_entity_and_outcome()
      throws Exception {
    String bearer = "Bearer " + readToken;
    String uid = ServeIT.studyUid(STUDY.resolve("image.dcm"));

    // writes: notes (transaction), one more note (create), the study (STOW-RS)
    HttpResponse<String> posted = client.fhir("/fhir", TinyStudies.transaction(STUDY));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    String note =
        JSON.readTree(posted.body()).findValues("location").stream()
            .map(JsonNode::asText)
            .filter(l -> l.startsWith("DocumentReference/"))
            .findFirst()
            .orElseThrow()
            .replace("/_history/1", "");
    HttpResponse<String> created =
        client.fhir(
            "/fhir/DocumentReference",
            Files.readAllBytes(Path.of("docs", "examples", "document-reference.json")));
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
    HttpResponse<String> stowed = client.stow(List.of(STUDY.resolve("image.dcm")));
    assertThat(stowed.statusCode()).as(stowed.body()).isEqualTo(200);

    // the analysis, asked for by a system client, and its result read through the status URL
    HttpResponse<String> accepted =
        client.fhir(
            "/fhir/DiagnosticReport/$analyze",
            ServeIT.parameters(uid, note),
            "Prefer",
            "respond-async",
            "Authorization",
            bearer);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String status =
        accepted
            .headers()
            .firstValue("Content-Location")
            .orElseThrow()
            .substring(client.base().length());
    HttpResponse<String> result = client.get(status);
    for (int i = 0; i < 600 && result.statusCode() == 202; i++) {
      Thread.sleep(200);
      result = client.get(status);
    }
    assertThat(result.statusCode()).as(result.body()).isEqualTo(200);

    // reads of the stored suggestion: report, an Observation, a Media
    Suggestion suggestion = awaitSuggestion();
    String reportId = suggestion.reportId();
    JsonNode report =
        JSON.readTree(
            client.get("/fhir/DiagnosticReport/" + reportId, "Authorization", bearer).body());
    String observation = report.at("/result/0/reference").asText();
    String media = report.at("/media/0/link/reference").asText();
    assertThat(observation).startsWith("Observation/");
    assertThat(media).startsWith("Media/");
    assertThat(client.get("/fhir/" + observation, "Authorization", bearer).statusCode())
        .isEqualTo(200);
    assertThat(client.get("/fhir/" + media, "Authorization", bearer).statusCode()).isEqualTo(200);

    // CDS Hooks patient-view for the patient of the study
    String patientId = patientId();
    HttpResponse<String> cards =
        client.post(
            "/cds-services/tandem-patient-view",
            "application/json",
            patientView(patientId).getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + jwt());
    assertThat(cards.statusCode()).as(cards.body()).isEqualTo(200);

    // refusals the code path sees: a non-DICOM part, a malformed Bundle, an unknown study,
    // a read without credentials
    HttpResponse<String> notDicom =
        client.post(
            "/dicomweb/studies",
            "multipart/related; type=\"application/dicom\"; boundary=x",
            ("--x\r\nContent-Type: application/dicom\r\n\r\nnot dicom\r\n--x--\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(notDicom.statusCode()).isEqualTo(409);
    assertThat(
            client
                .fhir("/fhir", "{\"resourceType\": \"Bundle\", ".getBytes(StandardCharsets.UTF_8))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            client
                .fhir("/fhir/DiagnosticReport/$analyze", ServeIT.parameters("1.2.3.4.5", note))
                .statusCode())
        .isEqualTo(404);
    assertThat(client.get("/fhir/DiagnosticReport/" + reportId).statusCode()).isEqualTo(401);

    HttpResponse<String> trail =
        client.get("/fhir/AuditEvent?_count=500", "Authorization", "Bearer " + auditToken);
    assertThat(trail.statusCode()).as(trail.body()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    JSON.readTree(trail.body()).path("entry").forEach(e -> events.add(e.path("resource")));

    String anonymous = "anonymous/127.0.0.1";
    String study = "urn:oid:" + uid;
    assertEvent(events, DCM, "110104", null, "C", "0", anonymous, study, true);
    assertEvent(events, REST, "rest", "transaction", "C", "0", anonymous, note, true);
    assertEvent(events, REST, "rest", "create", "C", "0", anonymous, "DocumentReference/", true);
    assertEvent(events, REST, "rest", "operation", "E", "0", "client/ehr-reader", study, true);
    assertEvent(events, REST, "rest", "operation", "R", "0", anonymous, study, true);
    assertEvent(events, DCM, "110110", null, "C", "0", "system/tandem", "DiagnosticReport/", true);
    assertEvent(
        events, REST, "rest", "read", "R", "0", "client/ehr-reader", "DiagnosticReport/", true);
    assertEvent(events, REST, "rest", "read", "R", "0", "client/ehr-reader", observation, true);
    assertEvent(events, REST, "rest", "read", "R", "0", "client/ehr-reader", media, true);
    assertEvent(events, DCM, "110110", null, "R", "0", "ehr/" + ISSUER, "patient-view", true);

    assertEvent(events, DCM, "110104", null, "C", "4", anonymous, null, false);
    assertEvent(events, REST, "rest", "transaction", "C", "4", anonymous, null, false);
    assertEvent(events, REST, "rest", "operation", "E", "4", anonymous, "urn:oid:1.2.3.4.5", false);
    assertEvent(events, DCM, "110113", "110132", "E", "4", "unauthenticated", null, false);

    // the trail names patients by pseudonymous key only
    assertThat(trail.body()).doesNotContain("SYN9053037", "Silva", "Priya");
  }

  /**
   * Asserts one event of this type, subtype, action, outcome and agent exists whose entities
   * include {@code entity} (a reference or DICOM study identifier, by prefix; none when null) and,
   * when {@code withPatient}, a pseudonymous patient key.
   */
  private static void assertEvent(
      List<JsonNode> events,
      String typeSystem,
      String type,
      String subtype,
      String action,
      String outcome,
      String agent,
      String entity,
      boolean withPatient) {
    String what =
        typeSystem
            + "|"
            + type
            + "/"
            + subtype
            + " "
            + action
            + " "
            + outcome
            + " "
            + agent
            + " "
            + entity;
    assertThat(events)
        .as(what)
        .anySatisfy(
            e -> {
              assertThat(e.at("/type/system").asText()).isEqualTo(typeSystem);
              assertThat(e.at("/type/code").asText()).isEqualTo(type);
              assertThat(e.at("/subtype/0/code").asText())
                  .isEqualTo(subtype == null ? "" : subtype);
              assertThat(e.path("action").asText()).isEqualTo(action);
              assertThat(e.path("outcome").asText()).isEqualTo(outcome);
              assertThat(e.at("/agent/0/who/display").asText()).isEqualTo(agent);
              List<String> entities = new ArrayList<>();
              e.path("entity")
                  .forEach(
                      x ->
                          entities.add(
                              x.at("/what/reference").asText()
                                  + x.at("/what/identifier/value").asText()));
              if (entity != null) {
                assertThat(entities).anySatisfy(x -> assertThat(x).startsWith(entity));
              }
              if (withPatient) {
                assertThat(entities).anySatisfy(x -> assertThat(x).startsWith("pt-"));
              }
            });
  }

  private static Suggestion awaitSuggestion() throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      List<Suggestion> found =
          serving
              .review()
              .reports()
              .search(Set.of(), Set.of(), Optional.empty(), Optional.empty(), 10);
      if (!found.isEmpty()) {
        return found.get(0);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no suggestion stored");
  }

  private static String patientId() throws Exception {
    JsonNode bundle = JSON.readTree(STUDY.resolve("bundle.json").toFile());
    for (JsonNode entry : bundle.path("entry")) {
      if ("Patient".equals(entry.at("/resource/resourceType").asText())) {
        return entry.at("/resource/id").asText();
      }
    }
    throw new AssertionError("the sample bundle has no Patient");
  }

  private static String patientView(String patientId) {
    return "{\"hook\":\"patient-view\",\"hookInstance\":\""
        + UUID.randomUUID()
        + "\",\"context\":{\"userId\":\"Practitioner/1\",\"patientId\":\""
        + patientId
        + "\"}}";
  }

  private static String jwt() throws Exception {
    Instant now = Instant.now();
    return TestServer.sign(
        ehrKey,
        JWSAlgorithm.ES384,
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(client.base() + "/cds-services/" + CdsHooksRoutes.SERVICE_ID)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .jwtID(UUID.randomUUID().toString())
            .build());
  }
}
