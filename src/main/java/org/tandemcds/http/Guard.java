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

  /**
   * The request attribute holding the authenticated {@link Caller}, so that a refusal after
   * authentication (403) is audited under the caller's name.
   */
  static final String CALLER_ATTRIBUTE = "tandem.caller";

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
    Optional<Caller> caller =
        authorization != null
            ? authenticator.bearer(authorization)
            : authenticator.session(ctx.cookie(SESSION_COOKIE));
    caller.ifPresent(c -> ctx.attribute(CALLER_ATTRIBUTE, c));
    return caller;
  }

  /** A caller holding one of {@code permissions}; {@link ErrorCode#FORBIDDEN} otherwise. */
  Caller callerWith(Context ctx, String... permissions) {
    return holding(caller(ctx), permissions);
  }

  /**
   * {@code caller} if it holds one of {@code permissions}; {@link ErrorCode#FORBIDDEN} otherwise.
   */
  static Caller holding(Caller caller, String... permissions) {
    if (!caller.mayAny(permissions)) {
      throw new CdsException(ErrorCode.FORBIDDEN, "needs one of " + String.join(", ", permissions));
    }
    return caller;
  }

  /** The caller this request was authenticated as, if it was (for the audit of a refusal). */
  static Optional<Caller> authenticated(Context ctx) {
    return Optional.ofNullable(ctx.attribute(CALLER_ATTRIBUTE));
  }

  /**
   * A logged-in clinician with {@code role}, whose request carries the session's CSRF token (for
   * state-changing requests).
   */
  Caller clinicianChanging(Context ctx, String role) {
    Caller caller = session(ctx);
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
    Caller caller = session(ctx);
    if (!caller.mayAny(role)) {
      throw new CdsException(ErrorCode.FORBIDDEN, "needs role " + role);
    }
    return caller;
  }

  private Caller session(Context ctx) {
    Caller caller =
        authenticator
            .session(ctx.cookie(SESSION_COOKIE))
            .orElseThrow(() -> new CdsException(ErrorCode.UNAUTHENTICATED, "no valid session"));
    ctx.attribute(CALLER_ATTRIBUTE, caller);
    return caller;
  }
}
