package org.tandemcds.service;

import org.tandemcds.domain.AnalysisRun;

/**
 * Receives each finished analysis after it is recorded in {@code analysis_result} (the review
 * module's ReportStore plugs in here). Called at least once per job: a job retried after a crash
 * may deliver the same run again, so implementations must be idempotent by {@code runId}.
 */
@FunctionalInterface
public interface ResultSink {
  void accept(long jobId, String runId, AnalysisRun run);
}
