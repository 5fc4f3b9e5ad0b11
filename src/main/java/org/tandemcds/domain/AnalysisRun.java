package org.tandemcds.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One finished run of the pipeline over one {@link AnalysisRequest}: what was used, what the model
 * said, why, the FHIR output and how long each stage took.
 *
 * @param runId unique id of this run (cited by the output's Provenance)
 * @param requestId the request's id
 * @param mode the inputs the model used
 * @param studyInstanceUid the analysed study (empty for a note-only run)
 * @param prediction the fused prediction
 * @param explanation the explanation (empty when not asked for)
 * @param report the FHIR output
 * @param stages timing of each stage, in pipeline order
 * @param started when the run started
 * @param finished when it finished
 * @param input what the parse stage read (the study's frames and the notes' text), for the review
 *     panel; empty when the run was rebuilt from storage
 */
public record AnalysisRun(
    String runId,
    String requestId,
    Mode mode,
    Optional<String> studyInstanceUid,
    Prediction prediction,
    Optional<Explanation> explanation,
    ReportBundle report,
    List<StageTiming> stages,
    Instant started,
    Instant finished,
    Optional<CaseInput> input) {
  public AnalysisRun {
    stages = List.copyOf(stages);
  }

  /** A run without its parsed input. */
  public AnalysisRun(
      String runId,
      String requestId,
      Mode mode,
      Optional<String> studyInstanceUid,
      Prediction prediction,
      Optional<Explanation> explanation,
      ReportBundle report,
      List<StageTiming> stages,
      Instant started,
      Instant finished) {
    this(
        runId,
        requestId,
        mode,
        studyInstanceUid,
        prediction,
        explanation,
        report,
        stages,
        started,
        finished,
        Optional.empty());
  }
}
