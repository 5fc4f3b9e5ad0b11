package org.tandemcds.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored suggestion: its DiagnosticReport id, review status and the finding summary that cards
 * and the worklist show.
 *
 * @param reportId the DiagnosticReport's server id
 * @param runId the AnalysisRun that produced it
 * @param studyInstanceUid the analysed study, if any
 * @param status DiagnosticReport.status: preliminary, final, amended or cancelled
 * @param versionId the DiagnosticReport's current version
 * @param modelName the model's name
 * @param modelVersion the model's version
 * @param summaryJson findings, probabilities, evidence and modality weights as JSON
 * @param createdAt when it was stored
 * @param updatedAt when it last changed
 */
public record Suggestion(
    String reportId,
    String runId,
    Optional<String> studyInstanceUid,
    String status,
    int versionId,
    String modelName,
    String modelVersion,
    String summaryJson,
    Instant createdAt,
    Instant updatedAt) {}
