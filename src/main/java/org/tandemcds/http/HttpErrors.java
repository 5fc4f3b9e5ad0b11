package org.tandemcds.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.FhirOutputs;
import org.tandemcds.review.Auditor;

/**
 * The one place where a {@link CdsException} becomes an HTTP answer: a status and a FHIR
 * OperationOutcome (with the detail for 4xx input errors), a bare 401 for a rejected CDS Hooks JWT.
 * Authentication and authorisation failures are audited.
 */
public final class HttpErrors {
  private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  public static void register(RoutesConfig routes, FhirOutputs outputs, Auditor auditor) {
    routes.exception(CdsException.class, (e, ctx) -> answer(e, ctx, outputs, auditor));
  }

  private static void answer(CdsException e, Context ctx, FhirOutputs outputs, Auditor auditor) {
    int status = status(e.code());
    refused(ctx, e, status, auditor);
    if (status >= 500) {
      log.error("{} {}: {}", ctx.method(), ctx.path(), e.getMessage(), e);
    }
    ctx.status(status);
    if (e.code() == ErrorCode.JWT_REJECTED) {
      ctx.result("");
      return;
    }
    ctx.contentType(Json.FHIR_JSON)
        .result(outputs.operationOutcome(e, status == 400 || status == 404 || status == 409));
  }

  /** Logs and audits a refused authentication or authorisation (401, 403); nothing otherwise. */
  static void refused(Context ctx, CdsException e, int status, Auditor auditor) {
    if (status == 401 || status == 403) {
      log.info("{} {}: {} ({})", ctx.method(), ctx.path(), e.code().code(), e.detail());
      auditor.record(
          "access",
          "E",
          "unauthenticated",
          Optional.empty(),
          Optional.empty(),
          false,
          ctx.method() + " " + ctx.path() + " refused: " + e.code().code());
    }
  }

  static int status(ErrorCode code) {
    return HttpStatuses.of(code);
  }
}
