package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.fhir.TestReportBundles;
import org.tandemcds.store.Feedback;

/**
 * Results over FHIR, the review API (login, CSRF, accept, amend, reject) and the audit trail, over
 * loopback against a real Javalin and database.
 */
class ReviewApiIT {
  private static final String PASSWORD = "correct horse battery";
  @TempDir static Path dir;
  static TestServer server;
  static String readToken;
  static String narrowToken;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer(dir, null);
    var auth = server.services.authenticator();
    auth.addClinician("alice", "Dr Alice Smith", PASSWORD.toCharArray(), Set.of("clinician"));
    auth.addClinician("root", "Audit Admin", PASSWORD.toCharArray(), Set.of("admin"));
    readToken = auth.issueToken("ehr-reader", Set.of("system/*.read"), Duration.ofDays(1));
    narrowToken =
        auth.issueToken("stow-only", Set.of("system/ImagingStudy.write"), Duration.ofDays(1));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String newSuggestion(String patient, double... p) {
    return server
        .services
        .suggestions()
        .record(TestReportBundles.run(patient, "1.2.840.1", TestReportBundles.prediction(p)));
  }

  /** Logs in; returns the cookie header value and the CSRF token. */
  private static String[] login(String user) throws Exception {
    HttpResponse<String> response =
        server.post(
            "/api/review/login",
            "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}",
            Map.of());
    assertThat(response.statusCode()).isEqualTo(200);
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/");
    return new String[] {
      setCookie.split(";")[0], Json.parse(response.body()).path("csrfToken").asText()
    };
  }

  private static Map<String, String> session(String[] login) {
    return Map.of("Cookie", login[0], "X-CSRF-Token", login[1]);
  }

  private static HttpResponse<String> act(String[] login, String id, String action, String body)
      throws Exception {
    return server.post("/api/review/suggestions/" + id + "/" + action, body, session(login));
  }

  @Test
  void wrong_passwords_missing_csrf_and_missing_roles_are_refused() throws Exception {
    assertThat(
            server
                .post(
                    "/api/review/login",
                    "{\"username\":\"alice\",\"password\":\"nope nope nope\"}",
                    Map.of())
                .statusCode())
        .isEqualTo(401);
    assertThat(
            server
                .post(
                    "/api/review/login",
                    "{\"username\":\"nobody\",\"password\":\"nope nope nope\"}",
                    Map.of())
                .statusCode())
        .isEqualTo(401);
    String id = newSuggestion("p1", 0.9, 0.1, 0.1, 0.1, 0.1);
    String[] alice = login("alice");
    assertThat(
            server
                .post(
                    "/api/review/suggestions/" + id + "/accept",
                    "{\"version\":1}",
                    Map.of("Cookie", alice[0]))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            server
                .post(
                    "/api/review/suggestions/" + id + "/accept",
                    "{\"version\":1}",
                    Map.of("Cookie", alice[0], "X-CSRF-Token", "forged"))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            server
                .post(
                    "/api/review/suggestions/" + id + "/accept",
                    "{\"version\":1}",
                    Map.of("X-CSRF-Token", alice[1]))
                .statusCode())
        .isEqualTo(401);
    assertThat(act(login("root"), id, "accept", "{\"version\":1}").statusCode()).isEqualTo(403);
    assertThat(server.services.reports().get(id).status()).isEqualTo("preliminary");

    assertThat(server.get("/api/review/worklist", Map.of("Cookie", alice[0])).statusCode())
        .isEqualTo(200);
    assertThat(server.post("/api/review/logout", "", session(alice)).statusCode()).isEqualTo(204);
    assertThat(server.get("/api/review/worklist", Map.of("Cookie", alice[0])).statusCode())
        .isEqualTo(401);
  }

  @Test
  void
      accept_makes_the_report_final_with_the_clinician_as_results_interpreter_and_a_new_provenance()
          throws Exception {
    String id = newSuggestion("p2", 0.9, 0.1, 0.1, 0.1, 0.1);
    String[] alice = login("alice");
    HttpResponse<String> accepted = act(alice, id, "accept", "{\"version\":1}");
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(Json.parse(accepted.body()).path("status").asText()).isEqualTo("final");
    assertThat(Json.parse(accepted.body()).path("version").asInt()).isEqualTo(2);

    JsonNode report =
        Json.parse(
            server
                .get("/fhir/DiagnosticReport/" + id, Map.of("Authorization", "Bearer " + readToken))
                .body());
    assertThat(report.path("status").asText()).isEqualTo("final");
    assertThat(report.path("meta").path("versionId").asText()).isEqualTo("2");
    assertThat(report.path("resultsInterpreter").get(0).path("display").asText())
        .isEqualTo("Dr Alice Smith");
    JsonNode detail =
        Json.parse(server.get("/api/review/suggestions/" + id, Map.of("Cookie", alice[0])).body());
    assertThat(detail.path("resources").path("Provenance")).hasSize(2);
    assertThat(detail.path("resources").path("Provenance").toString())
        .contains("DiagnosticReport/" + id + "/_history/2", "alice");
    assertThat(detail.path("reportHistory")).hasSize(2);

    assertThat(act(alice, id, "accept", "{\"version\":2}").statusCode())
        .as("accept twice")
        .isEqualTo(409);
    assertThat(act(alice, id, "reject", "{\"version\":2,\"reason\":\"late\"}").statusCode())
        .as("reject a final")
        .isEqualTo(409);
    assertThat(server.services.reports().feedback(id))
        .extracting(Feedback::action)
        .containsExactly("accept");
    assertThat(server.services.reviews().maySendOn(id)).isTrue();
  }

  @Test
  void amend_keeps_both_versions_and_edits_the_named_observation() throws Exception {
    String id = newSuggestion("p3", 0.9, 0.1, 0.1, 0.1, 0.1);
    String[] alice = login("alice");
    JsonNode detail =
        Json.parse(server.get("/api/review/suggestions/" + id, Map.of("Cookie", alice[0])).body());
    String observation = detail.path("resources").path("Observation").get(2).path("id").asText();
    String body =
        "{\"version\":1,\"conclusion\":\"Small right pneumothorax.\",\"present\":{\""
            + observation
            + "\":true},\"reason\":\"seen on image\"}";
    assertThat(act(alice, id, "amend", "{\"version\":1,\"present\":{\"nope\":true}}").statusCode())
        .isEqualTo(400);
    assertThat(act(alice, id, "amend", "{\"version\":1}").statusCode()).isEqualTo(400);
    HttpResponse<String> amended = act(alice, id, "amend", body);
    assertThat(amended.statusCode()).isEqualTo(200);
    assertThat(Json.parse(amended.body()).path("status").asText()).isEqualTo("amended");

    Map<String, String> bearer = Map.of("Authorization", "Bearer " + readToken);
    JsonNode history =
        Json.parse(server.get("/fhir/DiagnosticReport/" + id + "/_history", bearer).body());
    assertThat(history.path("type").asText()).isEqualTo("history");
    assertThat(history.path("entry")).hasSize(2);
    JsonNode v1 =
        Json.parse(server.get("/fhir/DiagnosticReport/" + id + "/_history/1", bearer).body());
    JsonNode v2 =
        Json.parse(server.get("/fhir/DiagnosticReport/" + id + "/_history/2", bearer).body());
    assertThat(v1.path("status").asText()).isEqualTo("preliminary");
    assertThat(v1.path("conclusion").asText()).startsWith("AI-generated suggestion");
    assertThat(v2.path("status").asText()).isEqualTo("amended");
    assertThat(v2.path("conclusion").asText()).isEqualTo("Small right pneumothorax.");
    JsonNode obs = Json.parse(server.get("/fhir/Observation/" + observation, bearer).body());
    assertThat(obs.path("status").asText()).isEqualTo("amended");
    assertThat(obs.path("interpretation").get(0).path("coding").get(0).path("code").asText())
        .isEqualTo("POS");
    assertThat(
            Json.parse(
                    server.get("/fhir/Observation/" + observation + "/_history/1", bearer).body())
                .path("status")
                .asText())
        .isEqualTo("preliminary");
    Feedback feedback = server.services.reports().feedback(id).get(0);
    assertThat(feedback.action()).isEqualTo("amend");
    assertThat(feedback.reason()).contains("seen on image");
    assertThat(feedback.detailJson().orElseThrow())
        .contains(observation, "Small right pneumothorax.");
  }

  @Test
  void reject_needs_a_reason_cancels_and_is_never_sent_on() throws Exception {
    String id = newSuggestion("p4", 0.1, 0.1, 0.1, 0.1, 0.7);
    String[] alice = login("alice");
    assertThat(act(alice, id, "reject", "{\"version\":1}").statusCode()).isEqualTo(400);
    assertThat(
            act(alice, id, "reject", "{\"version\":1,\"reason\":\"artefact, not consolidation\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(server.services.reports().get(id).status()).isEqualTo("cancelled");
    assertThat(server.services.reviews().maySendOn(id)).isFalse();
    assertThat(server.services.reports().feedback(id).get(0).reason())
        .contains("artefact, not consolidation");
    JsonNode worklist =
        Json.parse(
            server
                .get("/api/review/worklist?patient=Patient/p4", Map.of("Cookie", alice[0]))
                .body());
    assertThat(worklist.path("items")).isEmpty();
    JsonNode cancelled =
        Json.parse(
            server
                .get(
                    "/api/review/worklist?patient=Patient/p4&status=cancelled",
                    Map.of("Cookie", alice[0]))
                .body());
    assertThat(cancelled.path("items")).hasSize(1);
  }

  @Test
  void fhir_search_by_patient_status_and_last_updated_needs_a_read_scope() throws Exception {
    String a = newSuggestion("p5", 0.9, 0.1, 0.1, 0.1, 0.1);
    String b = newSuggestion("p5", 0.1, 0.1, 0.1, 0.1, 0.1);
    newSuggestion("p6", 0.1, 0.1, 0.1, 0.1, 0.1);
    Map<String, String> bearer = Map.of("Authorization", "Bearer " + readToken);
    JsonNode all =
        Json.parse(server.get("/fhir/DiagnosticReport?patient=Patient/p5", bearer).body());
    assertThat(all.path("type").asText()).isEqualTo("searchset");
    assertThat(ids(all)).containsExactlyInAnyOrder(a, b);
    assertThat(
            ids(
                Json.parse(
                    server
                        .get(
                            "/fhir/DiagnosticReport?patient.identifier="
                                + TestReportBundles.MRN_SYSTEM
                                + "%7CMRN-p5&status=preliminary",
                            bearer)
                        .body())))
        .containsExactlyInAnyOrder(a, b);
    assertThat(
            ids(
                Json.parse(
                    server.get("/fhir/DiagnosticReport?patient=p5&status=final", bearer).body())))
        .isEmpty();
    assertThat(
            ids(
                Json.parse(
                    server
                        .get("/fhir/DiagnosticReport?patient=p5&_lastUpdated=ge2100-01-01", bearer)
                        .body())))
        .isEmpty();
    assertThat(
            ids(
                Json.parse(
                    server
                        .get(
                            "/fhir/DiagnosticReport?patient=p5&_lastUpdated=ge2020-01-01T00:00:00Z",
                            bearer)
                        .body())))
        .hasSize(2);
    assertThat(
            server
                .get("/fhir/DiagnosticReport?patient=p5&_lastUpdated=2020-01-01", bearer)
                .statusCode())
        .isEqualTo(400);

    JsonNode report = Json.parse(server.get("/fhir/DiagnosticReport/" + a, bearer).body());
    for (JsonNode reference :
        List.of(report.path("result").get(0), report.path("media").get(0).path("link"))) {
      HttpResponse<String> read =
          server.get("/fhir/" + reference.path("reference").asText(), bearer);
      assertThat(read.statusCode()).as(reference.toString()).isEqualTo(200);
    }
    String observation = report.path("result").get(0).path("reference").asText();
    String device =
        Json.parse(server.get("/fhir/" + observation, bearer).body())
            .path("device")
            .path("reference")
            .asText();
    assertThat(
            Json.parse(server.get("/fhir/" + device, bearer).body()).path("resourceType").asText())
        .isEqualTo("Device");

    assertThat(server.get("/fhir/DiagnosticReport?patient=p5", Map.of()).statusCode())
        .isEqualTo(401);
    assertThat(
            server
                .get(
                    "/fhir/DiagnosticReport?patient=p5",
                    Map.of("Authorization", "Bearer not-a-token"))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            server
                .get(
                    "/fhir/DiagnosticReport?patient=p5",
                    Map.of("Authorization", "Bearer " + narrowToken))
                .statusCode())
        .isEqualTo(403);
    assertThat(server.get("/fhir/DiagnosticReport/nope", bearer).statusCode()).isEqualTo(404);
    assertThat(server.get("/fhir/Patient/p5", bearer).statusCode()).isEqualTo(404);
  }

  @Test
  void reads_and_review_actions_are_audit_events_an_admin_can_query_without_identifiers()
      throws Exception {
    String id = newSuggestion("p7", 0.9, 0.1, 0.1, 0.1, 0.1);
    server.get("/fhir/DiagnosticReport/" + id, Map.of("Authorization", "Bearer " + readToken));
    assertThat(act(login("alice"), id, "accept", "{\"version\":1}").statusCode()).isEqualTo(200);
    String[] root = login("root");
    assertThat(
            server
                .get("/fhir/AuditEvent?patient=Patient/p7", Map.of("Cookie", login("alice")[0]))
                .statusCode())
        .isEqualTo(403);
    HttpResponse<String> response =
        server.get("/fhir/AuditEvent?patient=Patient/p7", Map.of("Cookie", root[0]));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode bundle = Json.parse(response.body());
    assertThat(bundle.path("entry")).isNotEmpty();
    List<String> types =
        bundle.path("entry").findValues("resource").stream()
            .map(r -> r.at("/type/code").asText() + "/" + r.at("/subtype/0/code").asText())
            .toList();
    // the suggestion stored and the review action are Patient Record events (DICOM 110110), the
    // read a FHIR REST read
    assertThat(types).contains("110110/", "rest/read");
    assertThat(bundle.path("entry").findValues("resource"))
        .anySatisfy(r -> assertThat(r.path("action").asText()).isEqualTo("U"))
        .anySatisfy(r -> assertThat(r.path("action").asText()).isEqualTo("C"));
    assertThat(response.body()).doesNotContain("MRN-p7", "Patient/p7", "\"p7\"");
    assertThat(bundle.findValues("resourceType").stream().map(JsonNode::asText))
        .contains("AuditEvent");
  }

  private static List<String> ids(JsonNode bundle) {
    return bundle.path("entry").findValues("resource").stream()
        .map(r -> r.path("id").asText())
        .toList();
  }
}
