package org.tandemcds.http;

import io.javalin.http.Context;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.security.Authenticator;
import org.tandemcds.security.Caller;
import org.tandemcds.security.Secrets;

/**
 * Who is calling and whether they may: a system client's {@code Authorization: Bearer} token or a
 * clinician's session cookie; the CSRF header on every state-changing clinician request.
 */
final class Guard {
  static final String SESSION_COOKIE = "tandem_session";
  static final String CSRF_HEADER = "X-CSRF-Token";

  private final Authenticator authenticator;

  Guard(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** The caller, by bearer token or session; {@link ErrorCode#UNAUTHENTICATED} when neither. */
  Caller caller(Context ctx) {
    return presented(ctx)
        .orElseThrow(
            () -> new CdsException(ErrorCode.UNAUTHENTICATED, "no valid token or session"));
  }

  /** The caller, by bearer token or session, if the request presents a valid one. */
  Optional<Caller> presented(Context ctx) {
    String authorization = ctx.header("Authorization");
    return authorization != null
        ? authenticator.bearer(authorization)
        : authenticator.session(ctx.cookie(SESSION_COOKIE));
  }

  /** A caller holding one of {@code permissions}; {@link ErrorCode#FORBIDDEN} otherwise. */
  Caller callerWith(Context ctx, String... permissions) {
    Caller caller = caller(ctx);
    if (!caller.mayAny(permissions)) {
      throw new CdsException(ErrorCode.FORBIDDEN, "needs one of " + String.join(", ", permissions));
    }
    return caller;
  }

  /**
   * A logged-in clinician with {@code role}, whose request carries the session's CSRF token (for
   * state-changing requests).
   */
  Caller clinicianChanging(Context ctx, String role) {
    Caller caller =
        authenticator
            .session(ctx.cookie(SESSION_COOKIE))
            .orElseThrow(() -> new CdsException(ErrorCode.UNAUTHENTICATED, "no valid session"));
    if (!Secrets.sameSecret(caller.csrfToken().orElse(null), ctx.header(CSRF_HEADER))) {
      throw new CdsException(ErrorCode.CSRF_REJECTED, "missing or wrong " + CSRF_HEADER);
    }
    if (!caller.mayAny(role)) {
      throw new CdsException(ErrorCode.FORBIDDEN, "needs role " + role);
    }
    return caller;
  }

  /** A logged-in clinician with {@code role}, for reads. */
  Caller clinician(Context ctx, String role) {
    Caller caller =
        authenticator
            .session(ctx.cookie(SESSION_COOKIE))
            .orElseThrow(() -> new CdsException(ErrorCode.UNAUTHENTICATED, "no valid session"));
    if (!caller.mayAny(role)) {
      throw new CdsException(ErrorCode.FORBIDDEN, "needs role " + role);
    }
    return caller;
  }
}
