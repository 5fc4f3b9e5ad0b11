package org.tandemcds.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.FhirOutputs;
import org.tandemcds.review.Auditor;
import org.tandemcds.security.Authenticator;
import org.tandemcds.security.Caller;
import org.tandemcds.store.AuditStore;
import org.tandemcds.store.ReportStore;

/**
 * {@code GET /fhir/AuditEvent?patient=&date=ge<instant>&_count=}: the audit trail as FHIR
 * AuditEvents, for admins (role {@code admin}) and system clients with {@code
 * system/AuditEvent.read}. The query itself is audited.
 */
public final class AuditRoutes {
  private final AuditStore store;
  private final ReportStore reports;
  private final FhirOutputs outputs;
  private final Auditor auditor;
  private final Guard guard;

  private AuditRoutes(
      AuditStore store, ReportStore reports, FhirOutputs outputs, Auditor auditor, Guard guard) {
    this.store = store;
    this.reports = reports;
    this.outputs = outputs;
    this.auditor = auditor;
    this.guard = guard;
  }

  public static void register(
      RoutesConfig routes,
      AuditStore store,
      ReportStore reports,
      FhirOutputs outputs,
      Auditor auditor,
      Authenticator authenticator) {
    AuditRoutes r = new AuditRoutes(store, reports, outputs, auditor, new Guard(authenticator));
    routes.get("/fhir/AuditEvent", r::search);
  }

  private void search(Context ctx) {
    Caller caller = guard.callerWith(ctx, "admin", "system/AuditEvent.read");
    Set<String> asked = ResultRoutes.patientKeys(ctx);
    Set<String> patients = reports.sameSubjectKeys(asked);
    Optional<String> patient = asked.stream().findFirst();
    Optional<Instant> from = Optional.empty();
    String date = ctx.queryParam("date");
    if (date != null) {
      if (!date.startsWith("ge")) {
        throw new CdsException(ErrorCode.INVALID_ARGUMENT, "date needs the ge prefix");
      }
      from = Optional.of(ResultRoutes.instant(date.substring(2)));
    }
    String bundle = outputs.auditEvents(store.query(patients, from, ResultRoutes.count(ctx)));
    auditor.record(
        AuditType.AUDIT_READ,
        "R",
        caller.agent(),
        patient,
        Optional.of("AuditEvent"),
        true,
        "audit trail read");
    Json.sendFhir(ctx, bundle);
  }
}
