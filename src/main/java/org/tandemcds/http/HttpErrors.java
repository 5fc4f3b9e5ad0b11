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
import org.tandemcds.security.Caller;

/**
 * How a {@link CdsException} becomes an HTTP answer: the status of its code ({@link HttpStatuses}),
 * a FHIR OperationOutcome (without the detail for 401 and 403), a bare 401 for a rejected CDS Hooks
 * JWT; a {@code WWW-Authenticate: Bearer} challenge on the other 401s. Authentication and
 * authorisation failures are logged and audited as Security Alerts, under the authenticated
 * caller's name when there is one (a 403). {@link HttpServer} answers this way; {@link #register}
 * does the same on a plain Javalin.
 */
public final class HttpErrors {
  private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

  /**
   * A refused request body up to this size that the client sent without waiting for {@code 100
   * Continue} is read and discarded before the answer, so the client reads the answer instead of a
   * connection reset; larger ones are left unread (the connection closes after the answer).
   */
  static final long DRAIN_LIMIT = 1 << 20;

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
      drainSmallBody(ctx);
      log.info("{} {}: {} ({})", ctx.method(), ctx.path(), code.code(), detail);
      Optional<Caller> caller = Guard.authenticated(ctx);
      challenge(ctx, code, caller);
      auditor.record(
          AuditType.ACCESS_REFUSED,
          "E",
          caller.map(Caller::agent).orElse("unauthenticated"),
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

  /**
   * Reads and discards (never stores) a refused request's body when it is small and already on its
   * way: without {@code Expect: 100-continue} a client sends the body right after the headers, and
   * a server that closes the connection with it unread makes the kernel answer with a reset that
   * can overtake the 401/403 (RFC 9112 §9.6). With {@code Expect: 100-continue} nothing was sent
   * and nothing is read.
   */
  private static void drainSmallBody(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    String expect = ctx.header("Expect");
    if (length <= 0
        || length > DRAIN_LIMIT
        || (expect != null && expect.equalsIgnoreCase("100-continue"))) {
      return;
    }
    try (var in = ctx.req().getInputStream()) {
      in.skip(length);
      while (in.read() >= 0) {
        // the rest, if skip stopped short
      }
    } catch (java.io.IOException | IllegalStateException e) {
      log.debug("{} {}: refused body not drained: {}", ctx.method(), ctx.path(), e.getMessage());
    }
  }

  /**
   * The RFC 6750 challenge: {@code WWW-Authenticate: Bearer} on every 401 but a CDS Hooks one (a
   * bare 401 by that spec), with {@code error="insufficient_scope"} on a system client's 403.
   */
  private static void challenge(Context ctx, ErrorCode code, Optional<Caller> caller) {
    if (code == ErrorCode.UNAUTHENTICATED) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"tandem\"");
    } else if (code == ErrorCode.FORBIDDEN && caller.filter(c -> !c.isClinician()).isPresent()) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"tandem\", error=\"insufficient_scope\"");
    }
  }

  static int status(ErrorCode code) {
    return HttpStatuses.of(code);
  }
}
