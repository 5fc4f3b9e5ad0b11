package org.tandemcds.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.explain.ExplainBenchmark;
import org.tandemcds.explain.ExplainModels;
import org.tandemcds.explain.ExplainStage;
import org.tandemcds.model.Devices;
import org.tandemcds.model.Engines;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.PretrainedTextModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem bench explain}: the explain stage's cost on one radiograph and one note. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "CAM gradient pass against one forward pass, integrated gradients on a 256-token note,",
      "parse+encode+fuse+explain+write for one study with one note (median, p95), and encode+fuse."
    })
final class ExplainBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions networks;

  @Option(names = "--model", required = true, description = "trained case model directory")
  Path model;

  @Option(
      names = "--study",
      defaultValue = "sample-studies/study-000003",
      description = "folder with image.dcm and bundle.json (default ${DEFAULT-VALUE}, a CR)")
  Path study;

  @Option(
      names = "--runs",
      defaultValue = "20",
      description = "timed runs (default ${DEFAULT-VALUE})")
  int runs;

  @Override
  public Integer call() throws Exception {
    Engines.init();
    PrintWriter out = spec.commandLine().getOut();
    out.print(BenchTables.machine());
    out.printf(
        Locale.ROOT,
        "Load average at start: %.2f%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Path scratch = Files.createTempDirectory("tandem-bench-explain");
    AnalysisRequest request =
        new AnalysisRequest(
            "bench",
            java.util.Optional.of(study.resolve("image.dcm")),
            List.of(study.resolve("bundle.json")));
    try (App app = App.start(AppConfig.defaults());
        ExplainModels models =
            ExplainModels.open(
                new ModelArtifacts().open(model),
                new Devices(networks.devicePreference()),
                new PretrainedTextModel().extract(networks.cache),
                ExplainStage.Settings.standard())) {
      new ExplainBenchmark(models, app.caseParser())
          .run(request, runs, scratch)
          .forEach(out::println);
    }
    out.printf(
        Locale.ROOT,
        "Load average at end: %.2f%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return 0;
  }
}
