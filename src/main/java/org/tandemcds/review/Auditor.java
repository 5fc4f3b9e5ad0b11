package org.tandemcds.review;

import java.time.Clock;
import java.util.Optional;
import org.tandemcds.domain.AuditRecord;
import org.tandemcds.domain.AuditType;
import org.tandemcds.store.AuditStore;

/**
 * Records audit events with the time from one clock. Every read or write of patient data, every
 * analysis and review action goes through here; nothing here carries identifiers or note text.
 *
 * <p>Thread-safe.
 */
public final class Auditor {
  private final AuditStore store;
  private final Clock clock;

  public Auditor(AuditStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Records one event.
   *
   * @param type what kind of event (its FHIR AuditEvent type and subtype)
   * @param action C, R, U, D or E
   * @param agent who
   * @param patientKey whose data, if any
   * @param entity which resource, if any
   * @param success whether it succeeded
   * @param description what happened, without identifiers
   */
  public void record(
      AuditType type,
      String action,
      String agent,
      Optional<String> patientKey,
      Optional<String> entity,
      boolean success,
      String description) {
    store.record(
        new AuditRecord(
            clock.instant(),
            type.code(),
            action,
            agent,
            patientKey,
            entity,
            success ? "0" : "4",
            description));
  }
}
