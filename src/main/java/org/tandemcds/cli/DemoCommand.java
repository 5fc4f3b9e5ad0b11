package org.tandemcds.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.model.LabelledStudy;
import org.tandemcds.model.TrainingManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem demo}: Tandem's main job on a sample set. Today the job runs the parse stage: each
 * study is read, paired with its notes, and summarised on one line.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Tandem on the bundled sample studies and prints one line per study:",
      "patient (pseudonymised), modality, view, frames, note sentences and mode."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--samples",
      defaultValue = "sample-studies",
      description = "a sample set folder with manifest.json (default ${DEFAULT-VALUE})")
  Path samples;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<LabelledStudy> cases =
        new TrainingManifest().read(samples.resolve("manifest.json"), List.of());
    int failed = 0;
    try (App app = App.start(AppConfig.defaults())) {
      out.println(CaseLine.HEADER);
      for (LabelledStudy c : cases) {
        failed += run(app, c, out) ? 0 : 1;
      }
    }
    out.printf(
        "%d studies, %d read, %d failed. Inputs: %s%n",
        cases.size(), cases.size() - failed, failed, samples.toAbsolutePath().normalize());
    return failed == 0 ? 0 : Main.EXIT_CODED_ERROR;
  }

  private static boolean run(App app, LabelledStudy c, PrintWriter out) {
    AnalysisRequest request = new AnalysisRequest(c.id(), c.dicom(), c.bundle().stream().toList());
    long start = System.nanoTime();
    try {
      CaseInput input = app.caseParser().parse(request);
      out.println(CaseLine.of(c.id(), input, (System.nanoTime() - start) / 1_000_000));
      return true;
    } catch (CdsException e) {
      out.println(CaseLine.failure(c.id(), e));
      return false;
    }
  }
}
