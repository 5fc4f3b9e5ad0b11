package org.tandemcds.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.explain.CamMethod;
import org.tandemcds.explain.ExplainEvaluation;
import org.tandemcds.explain.ExplainModels;
import org.tandemcds.explain.ExplainStage;
import org.tandemcds.explain.MapInterpolation;
import org.tandemcds.model.Devices;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.PretrainedTextModel;
import org.tandemcds.model.VerifiedModel;

/** {@code tandem evaluate --explain}: explanation faithfulness of one model on a labelled set. */
final class ExplainEvaluateRun {
  private final EvaluateCommand options;

  ExplainEvaluateRun(EvaluateCommand options) {
    this.options = options;
  }

  private ExplainStage.Settings settings() {
    ExplainStage.Settings s =
        ExplainStage.Settings.standard().withCam(named("--cam", options.cam, CamMethod::parse));
    if (options.camStages != null && !options.camStages.isEmpty()) {
      s = s.withStages(options.camStages);
    }
    if (options.interpolation != null) {
      s =
          s.withInterpolation(
              named("--interpolation", options.interpolation, MapInterpolation::parse));
    }
    return options.igSteps == null ? s : s.withSteps(options.igSteps);
  }

  /** A named choice of an option; an unknown name is a coded error naming the option. */
  private static <T> T named(
      String option, String name, java.util.function.Function<String, T> parse) {
    try {
      return parse.apply(name);
    } catch (IllegalArgumentException e) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, option + ": " + e.getMessage());
    }
  }

  Integer call() {
    if (options.models.size() != 1) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "--explain evaluates one --model");
    }
    if (options.igSteps != null && options.igSteps < 1) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "--ig-steps must be at least 1");
    }
    ExplainStage.Settings settings = settings();
    PrintWriter err = options.spec.commandLine().getErr();
    Path manifest =
        Files.isDirectory(options.data) ? options.data.resolve("manifest.json") : options.data;
    VerifiedModel verified = new ModelArtifacts().open(options.models.get(0));
    PretrainedTextModel.TextModelFiles text =
        new PretrainedTextModel().extract(options.networks.cache);
    try (App app = App.start(AppConfig.defaults());
        ExplainModels models =
            ExplainModels.open(
                verified, new Devices(options.networks.devicePreference()), text, settings)) {
      String table =
          new ExplainEvaluation(models, app.caseParser(), options.randomOrders, options.seed)
              .run(
                  LabelledSet.studies(options.data, options.limit),
                  manifest,
                  options.out,
                  line -> {
                    err.print("\r" + line);
                    err.flush();
                  });
      err.println();
      options.spec.commandLine().getOut().print(table);
    }
    return 0;
  }
}
