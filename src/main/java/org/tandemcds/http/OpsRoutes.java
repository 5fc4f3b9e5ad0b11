package org.tandemcds.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.tandemcds.domain.CdsException;
import org.tandemcds.fhir.Capabilities;
import org.tandemcds.fhir.FhirCapability;
import org.tandemcds.metrics.Metrics;

/**
 * Operations: {@code GET /health} (liveness), {@code GET /health/ready} (readiness: the database
 * answers and the models are loaded; 503 otherwise), {@code GET /metrics} (Prometheus text) and
 * {@code GET /fhir/metadata} (the CapabilityStatement of the route modules registered).
 */
public final class OpsRoutes implements Routes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Metrics metrics;
  private final BooleanSupplier databaseReady;
  private final BooleanSupplier modelsReady;
  private final Capabilities capabilities;
  private final String version;
  private List<FhirCapability> served = List.of();

  public OpsRoutes(
      Metrics metrics,
      BooleanSupplier databaseReady,
      BooleanSupplier modelsReady,
      Capabilities capabilities,
      String version) {
    this.metrics = metrics;
    this.databaseReady = databaseReady;
    this.modelsReady = modelsReady;
    this.capabilities = capabilities;
    this.version = version;
  }

  /** The FHIR capabilities of every module on the server, for the CapabilityStatement. */
  void serving(List<FhirCapability> all) {
    this.served = List.copyOf(all);
  }

  /**
   * Serves only public endpoints: health, metrics (no patient data) and the CapabilityStatement.
   */
  @Override
  public boolean authenticates() {
    return true;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/health", ctx -> ctx.json(JSON.createObjectNode().put("status", "UP")));
    routes.get("/health/ready", this::ready);
    routes.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    routes.get(
        "/fhir/metadata",
        ctx ->
            ctx.contentType(FhirRoutes.FHIR_JSON)
                .result(
                    capabilities.json(
                        ctx.scheme() + "://" + ctx.host() + "/fhir", version, served)));
  }

  private void ready(Context ctx) {
    boolean database = check(databaseReady);
    boolean models = check(modelsReady);
    ObjectNode body = JSON.createObjectNode();
    body.put("status", database && models ? "UP" : "DOWN");
    body.putObject("checks")
        .put("database", database ? "UP" : "DOWN")
        .put("models", models ? "UP" : "DOWN");
    ctx.status(database && models ? 200 : 503)
        .contentType("application/json")
        .result(body.toString());
  }

  private static boolean check(BooleanSupplier supplier) {
    try {
      return supplier.getAsBoolean();
    } catch (CdsException e) {
      return false;
    }
  }
}
