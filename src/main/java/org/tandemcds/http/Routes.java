package org.tandemcds.http;

import io.javalin.config.RoutesConfig;
import java.util.List;
import org.tandemcds.fhir.FhirCapability;

/**
 * A self-contained group of endpoints that {@link HttpServer} registers: ingest, operations, and
 * the review module's reads, review actions, CDS Hooks and sessions. Handlers throw {@link
 * org.tandemcds.domain.CdsException}; the server turns it into an OperationOutcome.
 */
public interface Routes {
  /** Adds this module's endpoints (and before-handlers) to the server's routes. */
  void register(RoutesConfig routes);

  /** What this module serves of FHIR, for {@code GET /fhir/metadata}. */
  default List<FhirCapability> capabilities() {
    return List.of();
  }

  /**
   * Whether this module enforces the configured authentication on every endpoint but the public
   * ones ({@code /health}, {@code /metrics}, {@code /fhir/metadata}, CDS Hooks discovery, the login
   * and the panel's static page). A server with {@code auth} other than {@code none} refuses to
   * start unless every registered module says so.
   */
  default boolean authenticates() {
    return false;
  }
}
