package org.tandemcds.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.ReportBundle;
import org.tandemcds.domain.StageTiming;
import org.tandemcds.encode.EncodeStage;
import org.tandemcds.encode.Encodings;
import org.tandemcds.fuse.FusionStage;
import org.tandemcds.parse.CaseParser;
import org.tandemcds.report.ReportRequest;
import org.tandemcds.report.ReportStage;

/**
 * Tandem's main job on one request: parse → encode → fuse → explain → report, timing each stage.
 *
 * <p>Thread-safe: every stage is (the encoders serialise their own calls), and a run keeps its
 * state on the stack. Stages throw {@link CdsException}; the pipeline lets it through to the edge
 * that called it.
 */
public final class Pipeline {
  /**
   * Most series a study may have: Tandem reads chest radiographs (one or two series); a study with
   * more is not what the model was made for and is refused before any network runs.
   */
  public static final int MAX_SERIES = 8;

  private final CaseParser parser;
  private final EncodeStage encoder;
  private final FusionStage fuser;
  private final Optional<Explainer> explainer;
  private final ReportStage reporter;
  private final Clock clock;

  /**
   * @param explainer the explain stage, empty while none is plugged in
   */
  public Pipeline(
      CaseParser parser,
      EncodeStage encoder,
      FusionStage fuser,
      Optional<Explainer> explainer,
      ReportStage reporter,
      Clock clock) {
    this.parser = parser;
    this.encoder = encoder;
    this.fuser = fuser;
    this.explainer = explainer;
    this.reporter = reporter;
    this.clock = clock;
  }

  /** Runs every stage, explaining the prediction when an explain stage is plugged in. */
  public AnalysisRun run(AnalysisRequest request) {
    return run(request, true);
  }

  /**
   * Runs every stage.
   *
   * @param explain whether to explain the prediction (ignored while no explain stage is plugged in)
   * @throws CdsException from the stage that failed
   */
  public AnalysisRun run(AnalysisRequest request, boolean explain) {
    String runId = UUID.randomUUID().toString();
    Instant started = clock.instant();
    Timer t = new Timer();
    CaseInput input = t.time("parse", () -> checked(parser.parse(request)));
    Encodings encodings = t.time("encode", () -> encoder.encode(input));
    Prediction prediction = t.time("fuse", () -> fuser.fuse(encodings));
    Optional<Explanation> why =
        explainer
            .filter(e -> explain)
            .map(e -> t.time("explain", () -> e.explain(input, encodings, prediction)));
    ReportBundle report =
        t.time("report", () -> reporter.report(new ReportRequest(runId, input, prediction, why)));
    return new AnalysisRun(
        runId,
        request.requestId(),
        prediction.mode(),
        input.study().map(ImagingStudy::studyInstanceUid),
        prediction,
        why,
        report,
        t.timings,
        started,
        clock.instant(),
        Optional.of(input));
  }

  private static CaseInput checked(CaseInput input) {
    int series = input.study().map(s -> s.series().size()).orElse(0);
    if (series > MAX_SERIES) {
      throw new CdsException(
          ErrorCode.STUDY_TOO_MANY_SERIES,
          "the study has " + series + " series; Tandem analyses at most " + MAX_SERIES);
    }
    return input;
  }

  /** Whether an explain stage is plugged in. */
  public boolean explains() {
    return explainer.isPresent();
  }

  private static final class Timer {
    private final List<StageTiming> timings = new ArrayList<>();

    <T> T time(String stage, Supplier<T> work) {
      long start = System.nanoTime();
      T result = work.get();
      timings.add(new StageTiming(stage, System.nanoTime() - start));
      return result;
    }
  }
}
