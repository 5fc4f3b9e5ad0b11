package org.tandemcds.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.StageTiming;
import org.tandemcds.fhir.Outcomes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem analyze}: the whole pipeline on one case. Writes the FHIR Bundle, the overlays and
 * a run summary into a new folder, or, when the case fails, only an OperationOutcome naming the
 * code, the input and the reason (exit status 2).
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Analyses one case (a DICOM study, the patient's FHIR notes, or both) and writes a FHIR R4",
      "transaction Bundle with the AI suggestion (preliminary DiagnosticReport, one Observation",
      "per finding, saliency overlays, the model Device and Provenance) into --out.",
      "On failure --out holds only operation-outcome.json and the exit status is 2."
    })
final class AnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--study", description = "a DICOM file, a folder of DICOM files or a DICOMDIR")
  Path study;

  @Option(
      names = "--note",
      description = "a FHIR R4 JSON or XML file with the patient's notes (repeatable)")
  List<Path> notes = new ArrayList<>();

  @Option(names = "--out", required = true, description = "a new or empty folder for the results")
  Path out;

  @Option(
      names = "--explain",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "explain the suggestion (saliency overlays, note evidence); default on")
  boolean explain;

  @Mixin CaseModelOptions caseModel;

  @Override
  public Integer call() {
    RunOutputs.prepare(out);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Outcomes outcomes = null;
    try (App app = App.start(AppConfig.defaults(), caseModel.config())) {
      outcomes = new Outcomes(app.fhir());
      AnalysisRun run = app.pipeline().run(request(), explain);
      List<Path> written = RunOutputs.write(out, run);
      print(stdout, run, written, app.pipeline().explains());
      return 0;
    } catch (CdsException e) {
      RunOutputs.clean(out);
      Path outcome =
          RunOutputs.writeFailure(
              out,
              (outcomes != null ? outcomes : new Outcomes(new org.tandemcds.fhir.Fhir())).of(e));
      err.println("tandem: " + e.getMessage());
      err.println("tandem: no Bundle was written; see " + outcome);
      return Main.EXIT_CODED_ERROR;
    }
  }

  private AnalysisRequest request() {
    if (study == null && notes.isEmpty()) {
      throw new CdsException(ErrorCode.CASE_EMPTY, "give --study, --note or both");
    }
    return new AnalysisRequest(UUID.randomUUID().toString(), Optional.ofNullable(study), notes);
  }

  private static void print(
      PrintWriter out, AnalysisRun run, List<Path> written, boolean explains) {
    out.printf(
        "AI suggestion (%s), requires clinician review. Model %s %s, run %s%n",
        run.mode().label(),
        run.prediction().modelName(),
        run.prediction().modelVersion(),
        run.runId());
    for (FindingPrediction f : run.prediction().findings()) {
      out.printf(
          "  %-17s %5.1f %%  threshold %5.1f %%  %s%n",
          f.finding(),
          100 * f.probability(),
          100 * f.threshold(),
          f.positive() ? "POSITIVE" : "negative");
    }
    if (!explains) {
      out.println("  explanation: no explain stage is installed yet; the Bundle has no Media");
    }
    StringBuilder t = new StringBuilder("  time:");
    for (StageTiming s : run.stages()) {
      t.append(String.format(" %s %d ms", s.stage(), s.nanos() / 1_000_000));
    }
    out.println(t);
    written.forEach(p -> out.println("  wrote " + p));
  }
}
