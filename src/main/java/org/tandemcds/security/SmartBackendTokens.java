package org.tandemcds.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Access tokens from an EHR's token endpoint by SMART Backend Services ({@code client_credentials}
 * with {@code private_key_jwt}): a client assertion JWT ({@code iss} = {@code sub} = the client id,
 * {@code aud} = the token endpoint, a fresh {@code jti}, {@code exp} five minutes ahead) signed
 * RS384 or ES384 with the registered private key, posted as a form with {@code
 * grant_type=client_credentials}, the scope and {@code client_assertion_type=
 * urn:ietf:params:oauth:client-assertion-type:jwt-bearer}. The token is cached until 30 s before it
 * expires ({@code expires_in}; 5 min when absent).
 *
 * <p>Thread-safe (one token fetch at a time). Errors: {@link ErrorCode#EHR_KEY_INVALID}, {@link
 * ErrorCode#EHR_TOKEN_FAILED}.
 */
public final class SmartBackendTokens implements Supplier<String> {
  private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);
  private static final Duration EARLY = Duration.ofSeconds(30);

  /**
   * A registered backend client.
   *
   * @param tokenUrl the EHR's token endpoint
   * @param clientId the client id the EHR gave Tandem
   * @param scope the scopes asked for, e.g. {@code system/DocumentReference.read}
   * @param keyFile PEM file of the PKCS#8 private key whose public key the EHR holds
   * @param keyId the key's {@code kid} in the JWKS registered with the EHR (may be empty)
   * @param algorithm {@code RS384} or {@code ES384}
   */
  public record Client(
      URI tokenUrl, String clientId, String scope, Path keyFile, String keyId, String algorithm) {}

  private final Client client;
  private final JWSAlgorithm algorithm;
  private final JWSSigner signer;
  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private String token;
  private Instant refreshAt = Instant.MIN;

  public SmartBackendTokens(Client client, Clock clock, Duration timeout) {
    this.client = client;
    this.algorithm = algorithm(client.algorithm());
    this.signer = signer(readKey(client.keyFile(), algorithm), algorithm);
    this.clock = clock;
    this.timeout = timeout;
    // HTTP/1.1: a plain-http endpoint need not understand an h2c upgrade on a POST
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  /**
   * A valid access token, fetched when none is cached or the cached one is about to expire.
   *
   * @throws CdsException {@link ErrorCode#EHR_TOKEN_FAILED} when the endpoint cannot be reached or
   *     gives no token
   */
  @Override
  public synchronized String get() {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(refreshAt)) {
      fetch(now);
    }
    return token;
  }

  private void fetch(Instant now) {
    String form =
        form(
            Map.of(
                "grant_type",
                "client_credentials",
                "scope",
                client.scope(),
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                assertion(now)));
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(client.tokenUrl())
                  .timeout(timeout)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Accept", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw failed("token endpoint unreachable: " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw failed("token endpoint answered HTTP " + response.statusCode(), null);
    }
    accept(response.body(), now);
  }

  private void accept(String body, Instant now) {
    try {
      Map<String, Object> json = JSONObjectUtils.parse(body);
      Object accessToken = json.get("access_token");
      if (!(accessToken instanceof String t) || t.isBlank()) {
        throw failed("token response has no access_token", null);
      }
      long expiresIn =
          json.get("expires_in") instanceof Number n
              ? n.longValue()
              : ASSERTION_LIFETIME.toSeconds();
      token = t;
      refreshAt = now.plusSeconds(expiresIn).minus(EARLY);
    } catch (ParseException e) {
      throw failed("token response is not JSON", e);
    }
  }

  /** The signed client assertion. */
  String assertion(Instant now) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(client.clientId())
            .subject(client.clientId())
            .audience(client.tokenUrl().toString())
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
            .build();
    JWSHeader.Builder header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT);
    if (!client.keyId().isBlank()) {
      header.keyID(client.keyId());
    }
    SignedJWT jwt = new SignedJWT(header.build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new CdsException(ErrorCode.EHR_KEY_INVALID, "cannot sign the client assertion", e);
    }
    return jwt.serialize();
  }

  private static JWSAlgorithm algorithm(String name) {
    if ("RS384".equals(name)) {
      return JWSAlgorithm.RS384;
    }
    if ("ES384".equals(name)) {
      return JWSAlgorithm.ES384;
    }
    throw new CdsException(
        ErrorCode.EHR_KEY_INVALID, "SMART Backend Services signs with RS384 or ES384, not " + name);
  }

  private static JWSSigner signer(PrivateKey key, JWSAlgorithm algorithm) {
    try {
      if (algorithm == JWSAlgorithm.RS384 && key instanceof RSAPrivateKey rsa) {
        return new RSASSASigner(rsa);
      }
      if (algorithm == JWSAlgorithm.ES384 && key instanceof ECPrivateKey ec) {
        return new ECDSASigner(ec);
      }
    } catch (JOSEException e) {
      throw new CdsException(ErrorCode.EHR_KEY_INVALID, "the private key cannot sign", e);
    }
    throw new CdsException(
        ErrorCode.EHR_KEY_INVALID, "the private key does not match " + algorithm.getName());
  }

  private static PrivateKey readKey(Path file, JWSAlgorithm algorithm) {
    try {
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
        throw new CdsException(
            ErrorCode.EHR_KEY_INVALID, file.getFileName() + " is not a PKCS#8 PEM private key");
      }
      String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
      String type = algorithm == JWSAlgorithm.RS384 ? "RSA" : "EC";
      return KeyFactory.getInstance(type).generatePrivate(spec);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new CdsException(
          ErrorCode.EHR_KEY_INVALID, "cannot read the private key " + file.getFileName(), e);
    }
  }

  private static String form(Map<String, String> fields) {
    StringBuilder form = new StringBuilder();
    fields.forEach(
        (k, v) -> {
          if (form.length() > 0) {
            form.append('&');
          }
          form.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return form.toString();
  }

  private static CdsException failed(String detail, Throwable cause) {
    return new CdsException(ErrorCode.EHR_TOKEN_FAILED, detail, cause);
  }
}
