package org.tandemcds.http;

import io.javalin.http.Context;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.review.Auditor;
import org.tandemcds.security.Authenticator;
import org.tandemcds.security.Caller;

/**
 * Who calls the ingest and analysis routes, whether they may, and their audit events.
 *
 * <p>With {@code auth=bearer} every call needs a system client's {@code Authorization: Bearer}
 * token ({@link ErrorCode#UNAUTHENTICATED} otherwise, checked before the body is read) whose scopes
 * allow writing each resource type the call writes: {@code system/<Type>.write} or {@code
 * system/*.write} ({@link ErrorCode#FORBIDDEN} otherwise); the agent is {@code client/<id>}. The
 * token is checked by {@link Guard}, as for the FHIR reads. With {@code auth=none} (loopback only)
 * calls need no credentials: the agent is the caller of a valid token or session when the request
 * presents one, else {@code anonymous/<peer address>}.
 *
 * <p>Thread-safe.
 */
final class IngestAccess {
  private final Auditor auditor;
  private final Guard guard;
  private final boolean required;

  /**
   * @param required whether every call needs a system client's bearer token ({@code auth=bearer})
   */
  IngestAccess(Auditor auditor, Authenticator authenticator, boolean required) {
    this.auditor = auditor;
    this.guard = new Guard(authenticator);
    this.required = required;
  }

  /** Whether calls need credentials ({@code auth=bearer}). */
  boolean required() {
    return required;
  }

  /**
   * Who sent this request; with {@code auth=bearer} a system client that may write each of {@code
   * types} (more types can be checked with {@link Sender#mayWrite} once the body is read).
   */
  Sender sender(Context ctx, String... types) {
    if (!required) {
      return new Sender(
          guard.presented(ctx).map(Caller::agent).orElseGet(() -> "anonymous/" + ctx.ip()),
          Optional.empty());
    }
    Caller caller = guard.caller(ctx);
    Sender sender = new Sender(caller.agent(), Optional.of(caller));
    sender.mayWrite(List.of(types));
    return sender;
  }

  /**
   * The sender of one request.
   *
   * @param agent as audit events name it
   * @param enforced the authenticated caller whose scopes are checked ({@code auth=bearer}); empty
   *     when calls need no credentials
   */
  record Sender(String agent, Optional<Caller> enforced) {
    /**
     * With {@code auth=bearer}: {@link ErrorCode#FORBIDDEN} unless the caller may write every one
     * of {@code types}; nothing with {@code auth=none}.
     */
    void mayWrite(Collection<String> types) {
      enforced.ifPresent(
          caller -> {
            for (String type : new TreeSet<>(types)) {
              Guard.holding(caller, "system/" + type + ".write", "system/*.write");
            }
          });
    }
  }

  /** Records one event of a request's sender; see {@link Auditor#record}. */
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
