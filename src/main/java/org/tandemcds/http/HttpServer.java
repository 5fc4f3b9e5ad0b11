package org.tandemcds.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.Outcomes;
import org.tandemcds.metrics.Metrics;
import org.tandemcds.review.Auditor;

/**
 * The HTTP edge of {@code tandem serve} (Javalin on Jetty): registers the route modules, maps every
 * error to an OperationOutcome with the status of its {@link ErrorCode} (unknown paths and methods
 * included), and serves TLS when a keystore is configured. Request logs carry the method, path
 * template and status only, never query strings or bodies.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private final Javalin javalin;

  private HttpServer(Javalin javalin) {
    this.javalin = javalin;
  }

  /**
   * Starts the server with {@code modules} on the configured host and port.
   *
   * @throws CdsException {@link ErrorCode#CONFIG_INVALID} when authentication is configured but a
   *     module does not enforce it
   */
  public static HttpServer start(
      ServeConfig config,
      Outcomes outcomes,
      Metrics metrics,
      Auditor auditor,
      List<Routes> modules) {
    if (config.authenticated()) {
      modules.stream()
          .filter(m -> !m.authenticates())
          .findFirst()
          .ifPresent(
              m -> {
                throw new CdsException(
                    ErrorCode.CONFIG_INVALID,
                    "auth "
                        + config.auth()
                        + " is configured but route module "
                        + m.getClass().getName()
                        + " does not enforce it");
              });
    }
    Javalin javalin =
        Javalin.create(cfg -> configure(cfg, config, outcomes, metrics, auditor, modules));
    javalin.start(config.host(), config.port());
    log.info(
        "tandem serve listening on {}:{} ({})",
        config.host(),
        javalin.port(),
        config.tls() ? "https" : "http");
    return new HttpServer(javalin);
  }

  /** The port bound (the ephemeral one when configured with 0). */
  public int port() {
    return javalin.port();
  }

  private static void configure(
      JavalinConfig cfg,
      ServeConfig config,
      Outcomes outcomes,
      Metrics metrics,
      Auditor auditor,
      List<Routes> modules) {
    cfg.startup.showJavalinBanner = false;
    cfg.http.maxRequestSize = config.maxFhirBytes();
    config
        .tlsKeystore()
        .ifPresent(
            keystore ->
                cfg.jetty.addConnector(
                    (server, httpConfig) -> {
                      SslContextFactory.Server ssl = new SslContextFactory.Server();
                      ssl.setKeyStorePath(keystore.toAbsolutePath().toString());
                      ssl.setKeyStorePassword(config.tlsKeystorePassword());
                      ServerConnector connector =
                          new ServerConnector(
                              server,
                              new SslConnectionFactory(ssl, "http/1.1"),
                              new HttpConnectionFactory(httpConfig));
                      connector.setHost(config.host());
                      connector.setPort(config.port());
                      return connector;
                    }));
    List<org.tandemcds.fhir.FhirCapability> capabilities = new ArrayList<>();
    modules.forEach(m -> capabilities.addAll(m.capabilities()));
    modules.stream()
        .filter(m -> m instanceof OpsRoutes)
        .forEach(m -> ((OpsRoutes) m).serving(capabilities));
    modules.forEach(m -> m.register(cfg.routes));
    cfg.routes.exception(
        CdsException.class,
        (e, ctx) -> coded(ctx, outcomes, metrics, auditor, e.code(), e.detail()));
    cfg.routes.exception(
        HttpResponseException.class,
        (e, ctx) -> coded(ctx, outcomes, metrics, auditor, codeOf(e.getStatus()), e.getMessage()));
    cfg.routes.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("{} {}: unexpected failure", ctx.method(), ctx.path(), e);
          coded(
              ctx,
              outcomes,
              metrics,
              auditor,
              ErrorCode.INTERNAL,
              "unexpected failure; see the server log");
        });
    cfg.routes.error(
        404,
        ctx ->
            unlessAnswered(
                ctx,
                outcomes,
                metrics,
                auditor,
                ErrorCode.HTTP_NOT_FOUND,
                "no endpoint " + ctx.method() + " " + ctx.path()));
    cfg.routes.error(
        405,
        ctx ->
            unlessAnswered(
                ctx,
                outcomes,
                metrics,
                auditor,
                ErrorCode.HTTP_METHOD_NOT_ALLOWED,
                ctx.method() + " is not allowed on " + ctx.path()));
  }

  private static void unlessAnswered(
      Context ctx,
      Outcomes outcomes,
      Metrics metrics,
      Auditor auditor,
      ErrorCode code,
      String detail) {
    if (ctx.result() == null || ctx.result().isEmpty()) {
      coded(ctx, outcomes, metrics, auditor, code, detail);
    }
  }

  private static void coded(
      Context ctx,
      Outcomes outcomes,
      Metrics metrics,
      Auditor auditor,
      ErrorCode code,
      String detail) {
    metrics.error(code);
    HttpErrors.answer(ctx, code, detail, auditor)
        .ifPresent(withDetail -> ctx.result(outcomes.json(code, withDetail ? detail : null)));
  }

  private static ErrorCode codeOf(int status) {
    return switch (status) {
      case 413 -> ErrorCode.HTTP_BODY_TOO_LARGE;
      case 415 -> ErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE;
      case 404 -> ErrorCode.HTTP_NOT_FOUND;
      case 405 -> ErrorCode.HTTP_METHOD_NOT_ALLOWED;
      case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
      default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
    };
  }

  @Override
  public void close() {
    javalin.stop();
  }
}
