package org.tandemcds.http;

import io.javalin.http.Context;
import java.util.Optional;
import org.tandemcds.domain.AuditType;
import org.tandemcds.review.Auditor;
import org.tandemcds.security.Authenticator;
import org.tandemcds.security.Caller;

/**
 * Audit events of the ingest and analysis routes, which serve without authentication while the
 * server binds loopback with {@code auth=none}: the agent is the caller of a valid token or session
 * when the request presents one, else {@code anonymous/<peer address>}.
 *
 * <p>Thread-safe.
 */
final class CallAudit {
  private final Auditor auditor;
  private final Guard guard;

  CallAudit(Auditor auditor, Authenticator authenticator) {
    this.auditor = auditor;
    this.guard = new Guard(authenticator);
  }

  /** Who made this request, as audit events name agents. */
  String agent(Context ctx) {
    return guard.presented(ctx).map(Caller::agent).orElseGet(() -> "anonymous/" + ctx.ip());
  }

  /** Records one event of {@code ctx}'s caller; see {@link Auditor#record}. */
  void record(
      String agent,
      AuditType type,
      String action,
      Optional<String> patientKey,
      Optional<String> entity,
      boolean success,
      String description) {
    auditor.record(type, action, agent, patientKey, entity, success, description);
  }
}
