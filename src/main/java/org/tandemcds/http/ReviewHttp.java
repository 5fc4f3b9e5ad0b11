package org.tandemcds.http;

import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.util.function.Supplier;
import org.tandemcds.review.ReviewServices;

/**
 * Registers every route of issue 6 part B on a Javalin server: FHIR results, the review API, CDS
 * Hooks, the audit trail, and the mapping of coded errors to HTTP answers.
 */
public final class ReviewHttp {
  private ReviewHttp() {}

  /**
   * @param baseUrl the server's public base URL, no trailing slash (the CDS Hooks {@code aud} and
   *     link base); a supplier so that a server on an ephemeral port can name itself once started
   * @param secureCookies whether the session cookie is marked {@code Secure} (TLS)
   */
  public static void register(
      RoutesConfig routes,
      ReviewServices s,
      Supplier<String> baseUrl,
      boolean secureCookies,
      Clock clock) {
    HttpErrors.register(routes, s.outputs(), s.auditor());
    ResultRoutes.register(
        routes, s.reports(), s.outputs(), s.auditor(), s.authenticator(), baseUrl);
    AuditRoutes.register(
        routes, s.audit(), s.reports(), s.outputs(), s.auditor(), s.authenticator());
    ReviewRoutes.register(
        routes, s.authenticator(), s.reports(), s.reviews(), s.cards(), s.auditor(), secureCookies);
    CdsHooksRoutes.register(
        routes, s.jwtVerifier(), s.cards(), s.reports(), s.auditor(), baseUrl, clock);
  }

  /**
   * The review module as a {@link Routes} for {@link HttpServer}: the routes of {@link #register}
   * (the server's error handler answers and audits refusals there, as {@link HttpErrors} does).
   */
  public static Routes module(
      ReviewServices s, Supplier<String> baseUrl, boolean secureCookies, Clock clock) {
    return new Routes() {
      @Override
      public void register(RoutesConfig routes) {
        ReviewHttp.register(routes, s, baseUrl, secureCookies, clock);
      }

      /** Every route checks a token, session or CDS Hooks JWT; discovery and login are public. */
      @Override
      public boolean authenticates() {
        return true;
      }
    };
  }
}
