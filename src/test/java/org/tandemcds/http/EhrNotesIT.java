package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.security.SmartBackendTokens;
import org.tandemcds.store.AnalysisResults;

/**
 * Notes for a PACS-triggered study from the EHR's FHIR server: a real HTTP peer on loopback (a
 * small Javalin app in this test) that answers DocumentReference searches only with a valid bearer
 * token and issues tokens only for a client assertion signed with the key registered for Tandem
 * (verified with its public key, claims checked, each {@code jti} used once). {@code tandem serve}
 * (the service with the parsing analyzer) stores a study sent over STOW-RS with no note for its
 * patient, fetches the note from the EHR and records the run as image+note with where the notes
 * came from; with the EHR down it retries, then analyses image-only and records why.
 */
class EhrNotesIT {
  private static final Path STUDY = Path.of("sample-studies", "study-000003");
  private static final String PATIENT_SYSTEM =
      "urn:oid:2.25.226004380215473906216373196417541627351";
  private static final String PATIENT_ID = "SYN9053037";
  private static final String CLIENT_ID = "tandem-backend";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private KeyPair key;
  private Path keyFile;
  private FakeEhr ehr;

  @BeforeEach
  void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    key = generator.generateKeyPair();
    keyFile = pem(key, "tandem.pem");
    ehr = new FakeEhr((RSAPublicKey) key.getPublic());
  }

  @AfterEach
  void stop() {
    ehr.server.stop();
  }

  @Test
  void a_study_without_stored_notes_is_paired_with_the_ehr_notes_fetched_by_smart_backend_services()
      throws Exception {
    Map<String, String> flags = serveFlags();
    flags.put("ehr-auth", "smart-backend");
    flags.put("ehr-token-url", ehr.base + "/token");
    flags.put("ehr-client-id", CLIENT_ID);
    flags.put("ehr-private-key", keyFile.toString());
    flags.put("ehr-key-id", "k1");

    AnalysisResults.StoredResult run = analyse(flags);

    assertThat(run.mode()).isEqualTo("image+note");
    assertThat(run.notesSource()).isEqualTo("notes from the EHR: 1 of 1 DocumentReference(s)");
    assertThat(ehr.searches).hasSize(1);
    assertThat(ehr.searches.get(0))
        .as("patient.identifier=system|value, the note window up to the StudyDate 2024-10-25")
        .isEqualTo(PATIENT_SYSTEM + "|" + PATIENT_ID + " ge2024-09-25,lt2024-10-26");
    assertThat(ehr.tokensIssued.get()).isEqualTo(1);
  }

  @Test
  void an_unreachable_ehr_is_retried_then_the_study_is_analysed_image_only_and_the_run_says_why()
      throws Exception {
    ehr.down = true;
    Map<String, String> flags = serveFlags();
    flags.put("ehr-auth", "bearer");
    flags.put("ehr-bearer-token", FakeEhr.STATIC_TOKEN);

    AnalysisResults.StoredResult run = analyse(flags);

    assertThat(run.mode()).isEqualTo("image-only");
    assertThat(run.notesSource())
        .startsWith("image-only: EHR notes unavailable (TDM-910")
        .endsWith("after 3 attempt(s)");
    assertThat(ehr.searches).as("three attempts").hasSize(3);
  }

  @Test
  void the_token_is_cached_and_an_assertion_signed_with_another_key_gets_no_token()
      throws Exception {
    SmartBackendTokens tokens = tokens(keyFile);
    String first = tokens.get();
    assertThat(tokens.get()).isEqualTo(first);
    assertThat(ehr.tokensIssued.get()).as("cached until it expires").isEqualTo(1);

    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    Path otherKey = pem(generator.generateKeyPair(), "other.pem");
    assertThatThrownBy(() -> tokens(otherKey).get())
        .isInstanceOf(CdsException.class)
        .satisfies(e -> assertThat(((CdsException) e).code()).isEqualTo(ErrorCode.EHR_TOKEN_FAILED))
        .hasMessageContaining("HTTP 401");
    assertThat(ehr.tokensIssued.get()).isEqualTo(1);
  }

  private SmartBackendTokens tokens(Path privateKey) {
    return new SmartBackendTokens(
        new SmartBackendTokens.Client(
            URI.create(ehr.base + "/token"),
            CLIENT_ID,
            "system/DocumentReference.read",
            privateKey,
            "k1",
            "RS384"),
        Clock.systemUTC(),
        Duration.ofSeconds(10));
  }

  private Map<String, String> serveFlags() {
    Map<String, String> flags = new HashMap<>();
    flags.put("port", "0");
    flags.put("data-dir", dir.resolve("data").toString());
    flags.put("quiet-time", "200ms");
    flags.put("ehr-fhir-base-url", ehr.base + "/fhir");
    flags.put("ehr-patient-identifier-system", PATIENT_SYSTEM);
    flags.put("ehr-attempts", "3");
    flags.put("ehr-backoff", "100ms");
    flags.put("ehr-timeout", "5s");
    return flags;
  }

  /** Serves, sends the study over STOW-RS and returns its recorded run. */
  private AnalysisResults.StoredResult analyse(Map<String, String> flags) throws Exception {
    ServeConfig serve = ServeConfig.of(ConfigSources.merge(Optional.empty(), Map.of(), flags));
    try (App app = App.start(AppConfig.defaults());
        App.Serving serving =
            app.serve(
                serve,
                new ParseOnlyAnalyzer(app.caseParser(), "ehr-it", Duration.ZERO),
                () -> true,
                List.of(),
                List.of())) {
      HttpResponse<String> stored =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + serving.port() + "/dicomweb/studies"))
                      .header(
                          "Content-Type",
                          "multipart/related; type=\"application/dicom\"; boundary=b")
                      .header("Accept", "application/dicom+json")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(STUDY)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
      String study =
          JSON.readTree(Files.readString(STUDY.resolve("truth.json")))
              .path("studyInstanceUid")
              .asText();
      for (int i = 0; i < 600 && serving.results().forStudy(study).isEmpty(); i++) {
        Thread.sleep(100);
      }
      List<AnalysisResults.StoredResult> runs = serving.results().forStudy(study);
      assertThat(runs).as("the study is analysed").hasSize(1);
      return runs.get(0);
    }
  }

  private static byte[] multipart(Path study) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        "--b\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    body.write(Files.readAllBytes(study.resolve("image.dcm")));
    body.write("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
    return body.toByteArray();
  }

  private Path pem(KeyPair pair, String name) throws Exception {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(pair.getPrivate().getEncoded());
    return Files.writeString(
        dir.resolve(name),
        "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
  }

  /**
   * The EHR: a token endpoint (SMART Backend Services) and a FHIR DocumentReference search that
   * returns the sample note of study-000003 with its subject as the EHR's own Patient reference.
   */
  private static final class FakeEhr {
    static final String STATIC_TOKEN = "static-token-for-tandem";
    final Javalin server;
    final String base;
    final List<String> searches = new CopyOnWriteArrayList<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    final Set<String> tokens = ConcurrentHashMap.newKeySet();
    final Set<String> usedJti = ConcurrentHashMap.newKeySet();
    volatile boolean down;

    FakeEhr(RSAPublicKey registered) throws Exception {
      tokens.add(STATIC_TOKEN);
      String searchset = searchset();
      String[] url = new String[1];
      server =
          Javalin.create(
                  config -> {
                    config.routes.post(
                        "/token",
                        ctx -> {
                          if (!validAssertion(ctx.formParamMap(), registered, url[0] + "/token")) {
                            ctx.status(401).json(Map.of("error", "invalid_client"));
                            return;
                          }
                          String token = "token-" + tokensIssued.incrementAndGet();
                          tokens.add(token);
                          ctx.json(
                              Map.of(
                                  "access_token",
                                  token,
                                  "token_type",
                                  "bearer",
                                  "expires_in",
                                  300,
                                  "scope",
                                  "system/DocumentReference.read"));
                        });
                    config.routes.get(
                        "/fhir/DocumentReference",
                        ctx -> {
                          searches.add(
                              ctx.queryParam("patient.identifier")
                                  + " "
                                  + String.join(",", ctx.queryParams("date")));
                          if (down) {
                            ctx.status(503).result("maintenance");
                            return;
                          }
                          String auth = String.valueOf(ctx.header("Authorization"));
                          if (!auth.startsWith("Bearer ")
                              || !tokens.contains(auth.substring("Bearer ".length()))) {
                            ctx.status(401).result("");
                            return;
                          }
                          ctx.contentType("application/fhir+json").result(searchset);
                        });
                  })
              .start("127.0.0.1", 0);
      url[0] = "http://127.0.0.1:" + server.port();
      base = url[0];
    }

    private boolean validAssertion(
        Map<String, List<String>> form, RSAPublicKey registered, String tokenUrl) {
      try {
        if (!List.of("client_credentials").equals(form.get("grant_type"))
            || !List.of("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .equals(form.get("client_assertion_type"))) {
          return false;
        }
        SignedJWT jwt = SignedJWT.parse(form.get("client_assertion").get(0));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        return "RS384".equals(jwt.getHeader().getAlgorithm().getName())
            && jwt.verify(new RSASSAVerifier(registered))
            && CLIENT_ID.equals(claims.getIssuer())
            && CLIENT_ID.equals(claims.getSubject())
            && claims.getAudience().equals(List.of(tokenUrl))
            && claims.getExpirationTime().after(new Date())
            && claims.getJWTID() != null
            && usedJti.add(claims.getJWTID());
      } catch (Exception e) {
        return false;
      }
    }

    private static String searchset() throws Exception {
      JsonNode bundle = JSON.readTree(STUDY.resolve("bundle.json").toFile());
      ObjectNode note = null;
      for (JsonNode entry : bundle.path("entry")) {
        if ("DocumentReference".equals(entry.path("resource").path("resourceType").asText())) {
          note = (ObjectNode) entry.path("resource").deepCopy();
        }
      }
      note.putObject("subject").put("reference", "Patient/ehr-4711");
      ObjectNode searchset = JSON.createObjectNode();
      searchset.put("resourceType", "Bundle");
      searchset.put("type", "searchset");
      searchset.put("total", 1);
      ObjectNode entry = searchset.putArray("entry").addObject();
      entry.put("fullUrl", "http://ehr.example/fhir/DocumentReference/" + note.path("id").asText());
      entry.set("resource", note);
      entry.putObject("search").put("mode", "match");
      return JSON.writeValueAsString(searchset);
    }
  }
}
