package org.tandemcds.review;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.FhirOutputs;
import org.tandemcds.fhir.ReportResources;
import org.tandemcds.fhir.ReviewResources;
import org.tandemcds.security.Authenticator;
import org.tandemcds.security.CdsHooksJwtVerifier;
import org.tandemcds.security.CdsHooksTrust;
import org.tandemcds.store.Accounts;
import org.tandemcds.store.AuditStore;
import org.tandemcds.store.Database;
import org.tandemcds.store.JwtReplayStore;
import org.tandemcds.store.ReportStore;

/**
 * Everything results, review, CDS Hooks, security and audit need, built in order on one database
 * and one {@link Fhir} context, for {@code App} to hand to the HTTP server and the worker. Holds no
 * resources of its own (the database belongs to the caller).
 *
 * @param reports stored suggestions
 * @param suggestions where the worker hands finished runs ({@link Suggestions#record})
 * @param reviews accept, amend, reject
 * @param cards CDS Hooks cards
 * @param auditor the audit trail's writer
 * @param audit the audit trail
 * @param authenticator tokens, sessions, accounts
 * @param jwtVerifier CDS Hooks JWT verification
 * @param outputs FHIR JSON for the HTTP edge
 */
public record ReviewServices(
    ReportStore reports,
    Suggestions suggestions,
    Reviews reviews,
    Cards cards,
    Auditor auditor,
    AuditStore audit,
    Authenticator authenticator,
    CdsHooksJwtVerifier jwtVerifier,
    FhirOutputs outputs) {

  /**
   * Findings whose positive suggestion makes a {@code critical} card unless configured otherwise.
   */
  public static final Set<String> DEFAULT_CRITICAL = Set.of("pneumothorax");

  /**
   * Builds the services.
   *
   * @param critical findings configured as critical
   * @param sessionLifetime how long a clinician's login lasts
   */
  public static ReviewServices create(
      Database database,
      Fhir fhir,
      CdsHooksTrust trust,
      Set<String> critical,
      Duration sessionLifetime,
      Clock clock) {
    ReportStore reports = new ReportStore(database, clock);
    AuditStore audit = new AuditStore(database);
    Auditor auditor = new Auditor(audit, clock);
    return new ReviewServices(
        reports,
        new Suggestions(new ReportResources(fhir), reports, auditor, clock),
        new Reviews(reports, new ReviewResources(fhir), auditor, clock),
        new Cards(reports, critical, 20),
        auditor,
        audit,
        new Authenticator(new Accounts(database), clock, sessionLifetime),
        new CdsHooksJwtVerifier(trust, new JwtReplayStore(database, clock), clock),
        new FhirOutputs(fhir));
  }
}
