package org.tandemcds.security;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

/**
 * Which EHRs may call Tandem's CDS Services: each allowed {@code iss} with the JWKS URL its keys
 * are fetched from (the token's {@code jku} header is never followed), and the clock skew allowed
 * on {@code exp} and {@code iat}.
 */
public record CdsHooksTrust(Map<String, URL> jwksByIssuer, Duration clockSkew) {
  public CdsHooksTrust {
    jwksByIssuer = Map.copyOf(jwksByIssuer);
  }
}
