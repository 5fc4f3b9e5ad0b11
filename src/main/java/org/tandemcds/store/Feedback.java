package org.tandemcds.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One review action or CDS Hooks feedback on a suggestion, kept for retraining.
 *
 * @param reportId the suggestion's DiagnosticReport id
 * @param source {@code review} (the panel's API) or {@code cds-hooks}
 * @param action {@code accept}, {@code amend}, {@code reject}, {@code accepted} or {@code
 *     overridden}
 * @param actor {@code clinician/<username>} or {@code ehr/<issuer>}
 * @param reason the reason given, if any
 * @param detailJson the edit or the feedback as JSON, if any
 * @param recordedAt when it was recorded
 */
public record Feedback(
    String reportId,
    String source,
    String action,
    String actor,
    Optional<String> reason,
    Optional<String> detailJson,
    Instant recordedAt) {}
