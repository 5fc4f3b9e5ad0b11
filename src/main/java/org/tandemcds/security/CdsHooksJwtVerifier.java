package org.tandemcds.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.store.JwtReplayStore;

/**
 * Verifies the bearer JWT an EHR sends with each CDS Hooks call, as the CDS Hooks specification
 * asks, with Nimbus JOSE+JWT: a JWS signed with ES384 or RS384 only (never {@code none}, never
 * HMAC), by a key from the configured JWKS of an allowed {@code iss}; {@code aud} exactly the
 * called service's URL; {@code exp} not passed, {@code iat} not in the future (both within the
 * configured skew); {@code jti} present and never seen before.
 *
 * <p>Thread-safe. Every failure is {@link ErrorCode#JWT_REJECTED} with a reason for the server log
 * only; the HTTP edge answers a bare 401.
 */
public final class CdsHooksJwtVerifier {
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.ES384, JWSAlgorithm.RS384);
  private static final Set<String> REQUIRED = Set.of("iss", "aud", "exp", "iat", "jti");
  private static final int JWKS_TIMEOUT_MS = 5000;

  private static final java.security.Provider BOUNCY_CASTLE =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();
  private final CachedJwsVerifiers verifiers = new CachedJwsVerifiers(BOUNCY_CASTLE);
  private final Map<String, DefaultJWTProcessor<SecurityContext>> processors = new HashMap<>();
  private final JwtReplayStore replays;
  private final Clock clock;
  private final long skewSeconds;

  public CdsHooksJwtVerifier(CdsHooksTrust trust, JwtReplayStore replays, Clock clock) {
    this.replays = replays;
    this.clock = clock;
    this.skewSeconds = trust.clockSkew().toSeconds();
    trust.jwksByIssuer().forEach((issuer, jwks) -> processors.put(issuer, processor(issuer, jwks)));
  }

  private DefaultJWTProcessor<SecurityContext> processor(String issuer, URL jwks) {
    // Nimbus' default 500 ms connect/read timeouts refused valid calls (bare 401) whenever the
    // EHR's JWKS answered slowly on a busy host; the set is fetched once and cached
    JWKSource<SecurityContext> keys =
        JWKSourceBuilder.create(
                jwks,
                new DefaultResourceRetriever(
                    JWKS_TIMEOUT_MS, JWKS_TIMEOUT_MS, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
            .retrying(false)
            .outageTolerant(false)
            .build();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    // Bouncy Castle verifies P-384 ECDSA about 3x faster than the JDK's SunEC (patient-view spends
    // most of its CPU there), and one verifier per key keeps the key's precomputed tables; the
    // algorithms accepted are unchanged (ALGORITHMS)
    processor.setJWSVerifierFactory(verifiers);
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            null, new JWTClaimsSet.Builder().issuer(issuer).build(), REQUIRED) {
          @Override
          protected java.util.Date currentTime() {
            return java.util.Date.from(clock.instant());
          }
        };
    claims.setMaxClockSkew((int) skewSeconds);
    processor.setJWTClaimsSetVerifier(claims);
    return processor;
  }

  /**
   * Verifies {@code authorization} (the whole header value, {@code Bearer <jwt>}) for a call to the
   * service at {@code serviceUrl}.
   */
  public VerifiedCall verify(String authorization, String serviceUrl) {
    SignedJWT jwt = signedJwt(bearer(authorization));
    String issuer = unverifiedIssuer(jwt);
    DefaultJWTProcessor<SecurityContext> processor = processors.get(issuer);
    if (processor == null) {
      throw rejected("iss is not allowed");
    }
    JWTClaimsSet claims = process(processor, jwt);
    if (!List.of(serviceUrl).equals(claims.getAudience())) {
      throw rejected("aud is not the service URL");
    }
    Instant now = clock.instant();
    if (claims.getIssueTime().toInstant().isAfter(now.plusSeconds(skewSeconds))) {
      throw rejected("iat is in the future");
    }
    Instant expires = claims.getExpirationTime().toInstant();
    if (!replays.firstUse(issuer, claims.getJWTID(), expires)) {
      throw rejected("jti was already used");
    }
    return new VerifiedCall(issuer, claims.getJWTID(), expires);
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw rejected("no bearer token");
    }
    return authorization.substring(7).trim();
  }

  private static SignedJWT signedJwt(String token) {
    try {
      JWT jwt = JWTParser.parse(token);
      if (jwt instanceof SignedJWT signed) {
        return signed;
      }
      throw rejected("token is not a JWS (alg none or encrypted)");
    } catch (ParseException e) {
      throw rejected("token is not a JWT");
    }
  }

  private static String unverifiedIssuer(SignedJWT jwt) {
    try {
      String issuer = jwt.getJWTClaimsSet().getIssuer();
      if (issuer == null) {
        throw rejected("no iss");
      }
      return issuer;
    } catch (ParseException e) {
      throw rejected("claims are not JSON");
    }
  }

  private static JWTClaimsSet process(
      DefaultJWTProcessor<SecurityContext> processor, SignedJWT jwt) {
    try {
      return processor.process(jwt, null);
    } catch (BadJOSEException | JOSEException e) {
      throw rejected(e.getMessage());
    }
  }

  private static CdsException rejected(String reason) {
    return new CdsException(ErrorCode.JWT_REJECTED, reason);
  }
}
