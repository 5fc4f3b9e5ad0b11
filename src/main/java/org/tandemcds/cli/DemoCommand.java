package org.tandemcds.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ModelConfig;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.PatientKey;
import org.tandemcds.fhir.Outcomes;
import org.tandemcds.fhir.ValidationReport;
import org.tandemcds.model.LabelledStudy;
import org.tandemcds.model.TrainingManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem demo}: Tandem's main job on every bundled sample study — the whole pipeline, one
 * FHIR Bundle per study, each checked against Tandem's profiles — summarised in a table.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Analyses every bundled sample study with the trained model and prints one line per study:",
      "patient (pseudonymised), mode, suggested findings with probabilities, time, and whether the",
      "Bundle validates against Tandem's FHIR profiles. Outputs go to one folder per study."
    })
final class DemoCommand implements Callable<Integer> {
  static final String HEADER =
      String.format(
          "%-14s %-17s %-11s %-8s %-9s %s",
          "study", "patient", "mode", "time", "profiles", "findings");

  @Spec CommandSpec spec;

  @Option(
      names = "--samples",
      defaultValue = "sample-studies",
      description = "a sample set folder with manifest.json (default ${DEFAULT-VALUE})")
  Path samples;

  @Option(names = "--out", description = "where the outputs go (default target/demo/<time>)")
  Path out;

  @Mixin CaseModelOptions caseModel;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    List<LabelledStudy> cases =
        new TrainingManifest().read(samples.resolve("manifest.json"), List.of());
    Path root = out != null ? out : defaultOut();
    int failed = 0;
    int invalid = 0;
    ModelConfig models = caseModel.config();
    try (App app = App.start(AppConfig.defaults(), models)) {
      stdout.println(HEADER);
      for (LabelledStudy c : cases) {
        Result r = analyse(app, c, root.resolve(c.id()));
        stdout.println(r.line());
        stdout.flush();
        failed += r.failed() ? 1 : 0;
        invalid += r.invalid() ? 1 : 0;
      }
    }
    stdout.printf(
        "%d studies, %d analysed, %d failed; %d Bundles valid against fhir-profiles/. Every"
            + " output is an AI suggestion that requires clinician review.%n",
        cases.size(), cases.size() - failed, failed, cases.size() - failed - invalid);
    stdout.printf(
        "Inputs: %s%nOutputs: %s (bundle.json, run.json per study)%n",
        samples.toAbsolutePath().normalize(), root.toAbsolutePath().normalize());
    return failed == 0 && invalid == 0 ? 0 : Main.EXIT_CODED_ERROR;
  }

  private static Path defaultOut() {
    return Path.of(
        "target",
        "demo",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
  }

  private record Result(String line, boolean failed, boolean invalid) {}

  private static Result analyse(App app, LabelledStudy c, Path dir) {
    AnalysisRequest request = new AnalysisRequest(c.id(), c.dicom(), c.bundle().stream().toList());
    long start = System.nanoTime();
    RunOutputs.prepare(dir);
    try {
      AnalysisRun run = app.pipeline().run(request);
      long millis = (System.nanoTime() - start) / 1_000_000;
      RunOutputs.write(dir, run);
      ValidationReport v = app.profileValidator().validate(run.report().bundleJson());
      String line =
          String.format(
              "%-14s %-17s %-11s %-8s %-9s %s",
              c.id(),
              patient(run.report().bundleJson()),
              run.mode().label(),
              millis + " ms",
              v.valid() ? "valid" : "INVALID",
              findings(run));
      if (!v.valid()) {
        line += " " + v.of(ValidationReport.Severity.ERROR).get(0);
      }
      return new Result(line, false, !v.valid());
    } catch (CdsException e) {
      RunOutputs.clean(dir);
      RunOutputs.writeFailure(dir, new Outcomes(app.fhir()).of(e));
      return new Result(String.format("%-14s FAILED %s", c.id(), e.getMessage()), true, false);
    }
  }

  private static String findings(AnalysisRun run) {
    String positives =
        run.prediction().findings().stream()
            .filter(f -> f.positive())
            .map(f -> String.format(Locale.ROOT, "%s %.0f%%", f.finding(), 100 * f.probability()))
            .collect(Collectors.joining(", "));
    return positives.isEmpty() ? "none above threshold" : positives;
  }

  /** The subject of the DiagnosticReport, pseudonymised. */
  private static String patient(String bundleJson) {
    try {
      JsonNode id =
          new ObjectMapper().readTree(bundleJson).at("/entry/0/resource/subject/identifier");
      if (id.isMissingNode()) {
        return "-";
      }
      return PatientKey.of(new Identifier(id.path("system").asText(), id.path("value").asText()))
          .value();
    } catch (IOException e) {
      throw new CdsException(ErrorCode.INTERNAL, "the Bundle written is not JSON", e);
    }
  }
}
