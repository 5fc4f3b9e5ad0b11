package org.tandemcds.report;

import java.util.Optional;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.Prediction;

/**
 * What the report stage reads: the parsed case, the prediction and, when asked for, its
 * explanation.
 *
 * @param runId the pipeline run's id (cited by the DiagnosticReport and the Provenance)
 */
public record ReportRequest(
    String runId, CaseInput input, Prediction prediction, Optional<Explanation> explanation) {}
