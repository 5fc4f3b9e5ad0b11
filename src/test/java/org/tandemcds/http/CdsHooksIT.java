package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.domain.AuditRecord;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.PatientKey;
import org.tandemcds.fhir.TestReportBundles;
import org.tandemcds.store.Feedback;

/**
 * CDS Hooks over loopback: discovery, patient-view cards, feedback, and the JWT negative matrix.
 */
class CdsHooksIT {
  @TempDir static Path dir;
  static TestServer server;
  static String critical;
  static String warning;
  static String otherPatients;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer(dir, null);
    critical =
        server
            .services
            .suggestions()
            .record(
                TestReportBundles.run(
                    "p1", "1.2.3.1", TestReportBundles.prediction(0.2, 0.1, 0.93, 0.1, 0.3)));
    warning =
        server
            .services
            .suggestions()
            .record(
                TestReportBundles.run(
                    "p1", "1.2.3.2", TestReportBundles.prediction(0.81, 0.1, 0.1, 0.1, 0.62)));
    otherPatients =
        server
            .services
            .suggestions()
            .record(
                TestReportBundles.run(
                    "p2", "1.2.3.3", TestReportBundles.prediction(0.81, 0.1, 0.1, 0.1, 0.1)));
    String mrnKey = PatientKey.of(new Identifier(TestReportBundles.MRN_SYSTEM, "MRN-p1")).value();
    server.database.inTransaction(
        "seed pending study",
        c -> {
          try (var s = c.createStatement()) {
            s.executeUpdate(
                "INSERT INTO dicom_instance (sop_instance_uid, study_instance_uid,"
                    + " series_instance_uid, patient_key, size_bytes, sha256, received_at)"
                    + " VALUES ('1.2.3.9.1', '1.2.3.9', '1.2.3.9.0', '"
                    + mrnKey
                    + "', 1, '"
                    + "0".repeat(64)
                    + "', CURRENT_TIMESTAMP)");
            s.executeUpdate(
                "INSERT INTO analysis_job (study_instance_uid, instance_set_sha256, model_version, sop_instance_uids, state, attempts, max_attempts, not_before, created_at, updated_at)"
                    + " VALUES ('1.2.3.9', '"
                    + "1".repeat(64)
                    + "', 'm', '1.2.3.9.1', 'queued', 0, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
          }
          return null;
        });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String call(String patientId) {
    return "{\"hook\":\"patient-view\",\"hookInstance\":\"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\","
        + "\"context\":{\"userId\":\"Practitioner/1\",\"patientId\":\""
        + patientId
        + "\"},"
        + "\"prefetch\":{\"patient\":{\"resourceType\":\"Patient\",\"id\":\""
        + patientId
        + "\","
        + "\"identifier\":[{\"system\":\""
        + TestReportBundles.MRN_SYSTEM
        + "\",\"value\":\"MRN-"
        + patientId
        + "\"}]}}}";
  }

  private static HttpResponse<String> callWith(String token) throws Exception {
    return server.post(
        "/cds-services/tandem-patient-view",
        call("p1"),
        token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
  }

  @Test
  void discovery_lists_the_patient_view_service_with_its_prefetch() throws Exception {
    JsonNode services = Json.parse(server.get("/cds-services", Map.of()).body()).path("services");
    assertThat(services).hasSize(1);
    assertThat(services.get(0).path("hook").asText()).isEqualTo("patient-view");
    assertThat(services.get(0).path("id").asText()).isEqualTo("tandem-patient-view");
    assertThat(services.get(0).path("prefetch").path("patient").asText())
        .isEqualTo("Patient/{{context.patientId}}");
  }

  @Test
  void patient_view_returns_one_card_per_pending_suggestion_and_one_for_the_pending_analysis()
      throws Exception {
    HttpResponse<String> response =
        callWith(TestServer.sign(server.es384, JWSAlgorithm.ES384, server.goodClaims().build()));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode cards = Json.parse(response.body()).path("cards");
    Map<String, JsonNode> byUuid = new LinkedHashMap<>();
    cards.forEach(c -> byUuid.put(c.path("uuid").asText(), c));
    assertThat(byUuid).hasSize(3).containsKeys(critical, warning).doesNotContainKey(otherPatients);

    JsonNode c = byUuid.get(critical);
    assertThat(c.path("indicator").asText()).isEqualTo("critical");
    assertThat(c.path("summary").asText()).hasSizeLessThan(140).contains("pneumothorax 93%");
    assertThat(c.path("source").path("label").asText()).isEqualTo("Tandem tandem-hybrid 1.2.0");
    assertThat(c.path("detail").asText())
        .contains("AI-generated suggestion, requires clinician review")
        .contains("| pneumothorax | 93% | 50% | **present** | 0.50 / 0.30 / 0.20 |")
        .contains("\"evidence for pneumothorax \\| \\*x\\*\"")
        .doesNotContain("argues against");
    assertThat(c.path("links").get(0).path("url").asText())
        .isEqualTo(server.base() + "/review/suggestions/" + critical);
    assertThat(c.path("links").get(0).path("type").asText()).isEqualTo("absolute");

    assertThat(byUuid.get(warning).path("indicator").asText()).isEqualTo("warning");
    assertThat(byUuid.get(warning).path("summary").asText())
        .contains("cardiomegaly 81%", "consolidation 62%");
    JsonNode pending =
        cards.findParent("uuid") == null
            ? null
            : byUuid.values().stream()
                .filter(x -> x.path("summary").asText().contains("pending"))
                .findFirst()
                .orElseThrow();
    assertThat(pending.path("indicator").asText()).isEqualTo("info");
  }

  @Test
  void rs384_tokens_are_accepted_and_a_patient_without_suggestions_gets_no_cards()
      throws Exception {
    HttpResponse<String> response =
        server.post(
            "/cds-services/tandem-patient-view",
            call("p9"),
            Map.of(
                "Authorization",
                "Bearer "
                    + TestServer.sign(
                        server.rs384, JWSAlgorithm.RS384, server.goodClaims().build())));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Json.parse(response.body()).path("cards")).isEmpty();
  }

  @Test
  void every_token_of_the_negative_matrix_gets_a_bare_401() throws Exception {
    Instant now = Instant.now();
    byte[] secret = new byte[48];
    new SecureRandom().nextBytes(secret);
    String good = TestServer.sign(server.es384, JWSAlgorithm.ES384, server.goodClaims().build());
    String[] parts = good.split("\\.");
    JWTClaimsSet changed = server.goodClaims().subject("someone-else").build();
    String tampered =
        parts[0]
            + "."
            + Base64URL.encode(changed.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    Map<String, String> matrix = new LinkedHashMap<>();
    matrix.put("no token", null);
    matrix.put("not a JWT", "garbage");
    matrix.put(
        "wrong alg (ES256, key in the JWKS)",
        TestServer.sign(server.es256, JWSAlgorithm.ES256, server.goodClaims().build()));
    matrix.put("alg none", new PlainJWT(server.goodClaims().build()).serialize());
    matrix.put(
        "HMAC HS384",
        TestServer.signHmac(secret, JWSAlgorithm.HS384, "ec384", server.goodClaims().build()));
    matrix.put(
        "HMAC keyed with the RSA public key",
        TestServer.signHmac(
            server.rs384.toPublicJWK().toRSAPublicKey().getEncoded(),
            JWSAlgorithm.HS384,
            "rsa384",
            server.goodClaims().build()));
    matrix.put(
        "expired",
        TestServer.sign(
            server.es384,
            JWSAlgorithm.ES384,
            server
                .goodClaims()
                .issueTime(Date.from(now.minusSeconds(600)))
                .expirationTime(Date.from(now.minusSeconds(120)))
                .build()));
    matrix.put(
        "no exp",
        TestServer.sign(
            server.es384, JWSAlgorithm.ES384, server.goodClaims().expirationTime(null).build()));
    matrix.put(
        "future iat",
        TestServer.sign(
            server.es384,
            JWSAlgorithm.ES384,
            server
                .goodClaims()
                .issueTime(Date.from(now.plusSeconds(600)))
                .expirationTime(Date.from(now.plusSeconds(900)))
                .build()));
    matrix.put(
        "wrong aud",
        TestServer.sign(
            server.es384,
            JWSAlgorithm.ES384,
            server.goodClaims().audience(server.base() + "/cds-services/other").build()));
    matrix.put(
        "aud with an extra audience",
        TestServer.sign(
            server.es384,
            JWSAlgorithm.ES384,
            server
                .goodClaims()
                .audience(List.of(server.serviceUrl(), "https://elsewhere.example"))
                .build()));
    matrix.put(
        "unknown iss",
        TestServer.sign(
            server.es384,
            JWSAlgorithm.ES384,
            server.goodClaims().issuer("https://evil.example").build()));
    matrix.put(
        "no jti",
        TestServer.sign(server.es384, JWSAlgorithm.ES384, server.goodClaims().jwtID(null).build()));
    matrix.put(
        "unknown kid",
        TestServer.sign(server.unlisted, JWSAlgorithm.ES384, server.goodClaims().build()));
    matrix.put(
        "known kid, other key",
        TestServer.sign(
            new com.nimbusds.jose.jwk.ECKey.Builder(server.unlisted).keyID("ec384").build(),
            JWSAlgorithm.ES384,
            server.goodClaims().build()));
    matrix.put("tampered payload", tampered);

    Map<String, Integer> statuses = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : matrix.entrySet()) {
      HttpResponse<String> response = callWith(entry.getValue());
      statuses.put(entry.getKey(), response.statusCode());
      assertThat(response.body()).as(entry.getKey()).isEmpty();
    }
    assertThat(statuses).allSatisfy((name, status) -> assertThat(status).as(name).isEqualTo(401));

    String once = TestServer.sign(server.es384, JWSAlgorithm.ES384, server.goodClaims().build());
    assertThat(callWith(once).statusCode()).as("first use").isEqualTo(200);
    HttpResponse<String> replay = callWith(once);
    assertThat(replay.statusCode()).as("replayed jti").isEqualTo(401);
    assertThat(replay.body()).isEmpty();
  }

  @Test
  void feedback_is_recorded_for_retraining_and_audited() throws Exception {
    String body =
        "{\"feedback\":[{\"card\":\""
            + warning
            + "\",\"outcome\":\"overridden\","
            + "\"overrideReason\":{\"reason\":{\"code\":\"not-relevant\",\"system\":\"https://ehr.example.org/reasons\",\"display\":\"Not relevant\"},\"userComment\":\"old finding\"},"
            + "\"outcomeTimestamp\":\"2026-11-28T05:00:00Z\"}]}";
    Map<String, String> auth =
        Map.of(
            "Authorization",
            "Bearer "
                + TestServer.sign(server.es384, JWSAlgorithm.ES384, server.goodClaims().build()));
    assertThat(server.post("/cds-services/tandem-patient-view/feedback", body, auth).statusCode())
        .isEqualTo(200);
    assertThat(
            server.post("/cds-services/tandem-patient-view/feedback", body, Map.of()).statusCode())
        .isEqualTo(401);

    List<Feedback> recorded = server.services.reports().feedback(warning);
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).source()).isEqualTo("cds-hooks");
    assertThat(recorded.get(0).action()).isEqualTo("overridden");
    assertThat(recorded.get(0).actor()).isEqualTo("ehr/" + TestServer.ISSUER);
    assertThat(recorded.get(0).reason()).contains("Not relevant — old finding");

    String unknown = "{\"feedback\":[{\"card\":\"no-such-card\",\"outcome\":\"accepted\"}]}";
    Map<String, String> auth2 =
        Map.of(
            "Authorization",
            "Bearer "
                + TestServer.sign(server.es384, JWSAlgorithm.ES384, server.goodClaims().build()));
    assertThat(
            server.post("/cds-services/tandem-patient-view/feedback", unknown, auth2).statusCode())
        .isEqualTo(404);

    List<AuditRecord> audit =
        server.services.audit().query(java.util.Set.of(), Optional.empty(), 500);
    assertThat(audit)
        .anySatisfy(a -> assertThat(a.description()).isEqualTo("card feedback: overridden"));
    assertThat(audit)
        .allSatisfy(a -> assertThat(a.toString()).doesNotContain("MRN-p1", "p1\"", "Patient/p1"));
  }
}
