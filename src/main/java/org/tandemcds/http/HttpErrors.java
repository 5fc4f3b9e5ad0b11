package org.tandemcds.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.FhirOutputs;
import org.tandemcds.review.Auditor;

/**
 * How a {@link CdsException} becomes an HTTP answer: the status of its code ({@link HttpStatuses}),
 * a FHIR OperationOutcome (without the detail for 401 and 403), a bare 401 for a rejected CDS Hooks
 * JWT; authentication and authorisation failures are logged and audited. {@link HttpServer} answers
 * this way; {@link #register} does the same on a plain Javalin.
 */
public final class HttpErrors {
  private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  public static void register(RoutesConfig routes, FhirOutputs outputs, Auditor auditor) {
    routes.exception(
        CdsException.class,
        (e, ctx) -> {
          if (status(e.code()) >= 500) {
            log.error("{} {}: {}", ctx.method(), ctx.path(), e.getMessage(), e);
          }
          answer(ctx, e.code(), e.detail(), auditor)
              .ifPresent(withDetail -> ctx.result(outputs.operationOutcome(e, withDetail)));
        });
  }

  /**
   * Sets the status (and, for a refused CDS Hooks JWT, the empty body), audits a refusal; returns
   * whether the OperationOutcome to send may carry the detail, empty when nothing more is sent.
   */
  static Optional<Boolean> answer(Context ctx, ErrorCode code, String detail, Auditor auditor) {
    int status = status(code);
    boolean refused = status == 401 || status == 403;
    if (refused) {
      log.info("{} {}: {} ({})", ctx.method(), ctx.path(), code.code(), detail);
      auditor.record(
          AuditType.ACCESS_REFUSED,
          "E",
          "unauthenticated",
          Optional.empty(),
          Optional.empty(),
          false,
          ctx.method() + " " + ctx.path() + " refused: " + code.code());
    }
    ctx.status(status);
    if (code == ErrorCode.JWT_REJECTED) {
      ctx.result("");
      return Optional.empty();
    }
    ctx.contentType(Json.FHIR_JSON);
    return Optional.of(!refused);
  }

  static int status(ErrorCode code) {
    return HttpStatuses.of(code);
  }
}
