package org.tandemcds.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * One audited event, rendered as a FHIR AuditEvent on read. Carries a pseudonymous patient key,
 * never a patient identifier or note text.
 *
 * @param recorded when it happened
 * @param type what kind of event: the {@link AuditType#code()} (older rows may hold other codes)
 * @param action FHIR AuditEvent.action: C, R, U, D or E
 * @param agent who: {@code clinician/<username>}, {@code client/<id>}, {@code ehr/<issuer>}
 * @param patientKey the pseudonymous key of the patient whose data it touched, if any
 * @param entity what it touched, e.g. {@code DiagnosticReport/abc}
 * @param outcome FHIR AuditEvent.outcome: 0 success, 4 minor failure, 8 serious failure
 * @param description what happened, without identifiers
 */
public record AuditRecord(
    Instant recorded,
    String type,
    String action,
    String agent,
    Optional<String> patientKey,
    Optional<String> entity,
    String outcome,
    String description) {}
