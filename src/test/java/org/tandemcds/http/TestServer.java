package org.tandemcds.http;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.review.ReviewServices;
import org.tandemcds.security.CdsHooksTrust;
import org.tandemcds.store.Database;

/**
 * TEST FIXTURE: a real Javalin on 127.0.0.1:0 with every route of issue 6 part B registered through
 * {@link ReviewHttp}, on a real database, plus a loopback "EHR" serving its JWKS (ES384, RS384 and
 * an ES256 key) from the JDK's HTTP server, and helpers to sign CDS Hooks JWTs with those keys.
 */
final class TestServer implements AutoCloseable {
  static final String ISSUER = "https://ehr.example.org";
  static final Fhir FHIR = new Fhir();

  final ECKey es384;
  final RSAKey rs384;
  final ECKey es256;
  final ECKey unlisted;
  final Database database;
  final ReviewServices services;
  final HttpClient client = HttpClient.newHttpClient();
  private final HttpServer jwks;
  private final Javalin server;
  private final String base;

  TestServer(Path dir, String jdbcUrl) throws Exception {
    es384 = new ECKeyGenerator(Curve.P_384).keyID("ec384").generate();
    rs384 = new RSAKeyGenerator(2048).keyID("rsa384").generate();
    es256 = new ECKeyGenerator(Curve.P_256).keyID("ec256").generate();
    unlisted = new ECKeyGenerator(Curve.P_384).keyID("ghost").generate();
    jwks = jwksServer(new JWKSet(List.<JWK>of(es384, rs384, es256)).toPublicJWKSet().toString());
    URL jwksUrl =
        URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json").toURL();
    database = jdbcUrl == null ? Database.embedded(dir) : Database.open(jdbcUrl, "postgres", "", 8);
    services =
        ReviewServices.create(
            database,
            FHIR,
            new CdsHooksTrust(Map.of(ISSUER, jwksUrl), Duration.ofSeconds(30)),
            ReviewServices.DEFAULT_CRITICAL,
            Duration.ofHours(8),
            Clock.systemUTC());
    AtomicReference<String> baseUrl = new AtomicReference<>();
    server =
        Javalin.create(
                config ->
                    ReviewHttp.register(
                        config.routes, services, baseUrl::get, false, Clock.systemUTC()))
            .start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
    baseUrl.set(base);
  }

  /** A loopback server of {@code json} at {@code /jwks.json}; the caller stops it. */
  static HttpServer jwksServer(String json) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jwks.json",
        exchange -> {
          byte[] body = json.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }

  String base() {
    return base;
  }

  String serviceUrl() {
    return base + "/cds-services/" + CdsHooksRoutes.SERVICE_ID;
  }

  /**
   * Claims that pass: the allowed issuer, the exact service URL, 5 minutes to live, a fresh jti.
   */
  JWTClaimsSet.Builder goodClaims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(serviceUrl())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .jwtID(UUID.randomUUID().toString());
  }

  static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
    return sign(signer(key), key, alg, claims);
  }

  /** A signer with {@code key} (EC or RSA). */
  static JWSSigner signer(JWK key) throws Exception {
    return key instanceof ECKey ec
        ? new ECDSASigner(ec)
        : key instanceof RSAKey rsa ? new RSASSASigner(rsa) : null;
  }

  /** A JWT of {@code claims} signed by {@code signer}, which holds {@code key}. */
  static String sign(JWSSigner signer, JWK key, JWSAlgorithm alg, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
            claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  static String signHmac(byte[] secret, JWSAlgorithm alg, String kid, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.stop();
    jwks.stop(0);
    database.close();
  }
}
