package org.tandemcds.review;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.AuditType;
import org.tandemcds.fhir.PreparedReport;
import org.tandemcds.fhir.ReportResources;
import org.tandemcds.store.ReportStore;
import org.tandemcds.store.Suggestion;

/**
 * Where a finished {@link AnalysisRun} goes: its report Bundle is stored as resources with server
 * ids (DiagnosticReport {@code preliminary}), with the finding summary for cards and the worklist,
 * and the analysis is audited. Idempotent by run id.
 *
 * <p>Thread-safe. Errors: those of {@link ReportResources#prepare} and {@link ReportStore#save}.
 */
public final class Suggestions {
  private static final Logger log = LoggerFactory.getLogger(Suggestions.class);

  private final ReportResources resources;
  private final ReportStore store;
  private final Auditor auditor;
  private final Clock clock;

  public Suggestions(ReportResources resources, ReportStore store, Auditor auditor, Clock clock) {
    this.resources = resources;
    this.store = store;
    this.auditor = auditor;
    this.clock = clock;
  }

  /**
   * Stores the run's suggestion.
   *
   * @return the DiagnosticReport's server id (the stored one when the run was stored before)
   */
  public String record(AnalysisRun run) {
    Instant now = clock.instant();
    PreparedReport prepared =
        resources.prepare(run.report().bundleJson(), run.report().diagnosticReportUuid(), now);
    Suggestion suggestion =
        new Suggestion(
            prepared.reportId(),
            run.runId(),
            run.studyInstanceUid(),
            prepared.status(),
            1,
            run.prediction().modelName(),
            run.prediction().modelVersion(),
            SuggestionSummary.of(run).toJson(),
            now,
            now);
    if (!store.save(suggestion, prepared.resources(), prepared.patientKeys())) {
      return store.findByRun(run.runId()).orElseThrow().reportId();
    }
    auditor.record(
        AuditType.ANALYSIS,
        "C",
        "system/tandem",
        prepared.patientKeys().stream().sorted().findFirst(),
        Optional.of("DiagnosticReport/" + prepared.reportId()),
        true,
        "AI suggestion stored from run " + run.runId());
    log.info("run {}: suggestion DiagnosticReport/{} stored", run.runId(), prepared.reportId());
    return prepared.reportId();
  }
}
