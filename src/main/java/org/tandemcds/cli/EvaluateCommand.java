package org.tandemcds.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.evaluate.Evaluation;
import org.tandemcds.evaluate.EvaluationReport;
import org.tandemcds.evaluate.Evaluator;
import org.tandemcds.evaluate.Scores;
import org.tandemcds.model.CaseModel;
import org.tandemcds.model.Devices;
import org.tandemcds.model.Engines;
import org.tandemcds.model.FusionCard;
import org.tandemcds.model.FusionVariant;
import org.tandemcds.model.ImageFeatureCache;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.TrainingCase;
import org.tandemcds.model.VerifiedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem evaluate}: scores one or more trained models on a labelled set and writes an
 * evaluation report ({@code docs/evaluation.md}).
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Scores trained models on a labelled folder with a manifest.json and writes",
      "evaluation.json, report.html and PNG charts. Models whose variant serves each modality",
      "alone (hybrid, late, early) are also scored with the note removed and with the image",
      "removed; then every set is scored on the cases that have both inputs."
    })
public final class EvaluateCommand implements Callable<Integer> {
  /** Appended to the "both inputs" set name when only cases with both inputs are scored. */
  static final String BOTH_INPUT_CASES = " (cases with image and note)";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, description = "folder holding manifest.json")
  Path data;

  @Option(names = "--model", required = true, description = "model directory (repeatable)")
  List<Path> models;

  @Option(names = "--out", required = true, description = "folder to write the report into")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "bootstrap seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--resamples",
      defaultValue = "1000",
      description = "bootstrap resamples (default ${DEFAULT-VALUE})")
  int resamples;

  @Option(
      names = "--batch-size",
      defaultValue = "16",
      description = "cases per forward pass (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--limit", defaultValue = "0", description = "use only the first N studies")
  int limit;

  @Mixin ModelOptions networks;

  /** Image features per image network (sha256 of image.params), shared by models and views. */
  private final java.util.Map<String, ImageFeatureCache> imageCaches = new java.util.HashMap<>();

  @Option(
      names = "--explain",
      description = {
        "measure explanation faithfulness instead (one model; the set needs the generator's",
        "masks and note spans): pointing game, deletion test, randomisation sanity check,",
        "note evidence; writes explain-evaluation.json"
      })
  boolean explain;

  @Option(
      names = "--random-orders",
      defaultValue = "2",
      description =
          "random deletion orders per true positive with --explain (default ${DEFAULT-VALUE})")
  int randomOrders;

  @Option(
      names = "--cam",
      defaultValue = "hires-cam",
      description =
          "class activation map with --explain: hires-cam or grad-cam (default ${DEFAULT-VALUE})")
  String cam;

  @Option(
      names = "--cam-stages",
      split = ",",
      description =
          "with --explain: the image network's stages whose maps make the saliency, counted back"
              + " from the last (0 = last feature map); several are multiplied (default: the"
              + " explain stage's)")
  List<Integer> camStages;

  @Option(
      names = "--interpolation",
      description =
          "with --explain: how the saliency map is resampled between its cells, bicubic or"
              + " bilinear (default: the explain stage's)")
  String interpolation;

  @Option(
      names = "--ig-steps",
      description =
          "with --explain: integrated-gradients steps for the note attributions (default: the"
              + " explain stage's)")
  Integer igSteps;

  @Override
  public Integer call() {
    Engines.init();
    if (explain) {
      return new ExplainEvaluateRun(this).call();
    }
    PrintWriter err = spec.commandLine().getErr();
    List<VerifiedModel> verified = models.stream().map(new ModelArtifacts()::open).toList();
    List<TrainingCase> encoded =
        new LabelledSet(networks.cache, err, networks.encodedCache)
            .encode(LabelledSet.studies(data, limit), inputSize(verified))
            .cases();
    boolean removals =
        verified.stream().map(EvaluateCommand::variant).anyMatch(ModelScoring::servesEachModality);
    List<TrainingCase> cases = selectCases(encoded, verified, removals);
    err.printf("scoring %d of %d cases%n", cases.size(), encoded.size());
    List<Scores> sets = new ArrayList<>();
    Devices devices = new Devices(networks.devicePreference());
    for (VerifiedModel m : verified) {
      sets.addAll(score(m, names(verified).get(verified.indexOf(m)), cases, removals, devices));
    }
    Evaluation evaluation = new Evaluator(resamples, seed).evaluate(sets);
    List<Path> written = new EvaluationReport().write(evaluation, out);
    spec.commandLine().getOut().println(written.get(1));
    return 0;
  }

  private List<Scores> score(
      VerifiedModel m, String name, List<TrainingCase> cases, boolean removals, Devices devices) {
    String suffix = removals ? BOTH_INPUT_CASES : "";
    try (CaseModel model = CaseModel.load(m, devices)) {
      ImageFeatureCache images =
          m.card().files().stream()
              .filter(f -> f.path().equals(CaseModel.IMAGE_PARAMETERS))
              .findFirst()
              .map(f -> imageCaches.computeIfAbsent(f.sha256(), k -> new ImageFeatureCache()))
              .orElse(null);
      return new ModelScoring(model, batchSize, images)
          .score(name, suffix, cases, removals && ModelScoring.servesEachModality(variant(m)));
    }
  }

  /**
   * The cases every set can be scored on: those with both inputs when a modality is removed, else
   * those every model serves as they are.
   */
  private static List<TrainingCase> selectCases(
      List<TrainingCase> cases, List<VerifiedModel> models, boolean removals) {
    List<TrainingCase> kept =
        cases.stream()
            .filter(c -> !removals || c.hasImage() && c.hasNote())
            .filter(
                c -> models.stream().allMatch(m -> variant(m).serves(c.hasImage(), c.hasNote())))
            .toList();
    if (kept.isEmpty()) {
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT, "no case of the labelled set can be scored by every model");
    }
    return kept;
  }

  /** Set name prefixes: the variant, with the model folder's name when variants repeat. */
  private static List<String> names(List<VerifiedModel> models) {
    List<String> variants = models.stream().map(m -> variant(m).label()).toList();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      String v = variants.get(i);
      boolean repeated = variants.indexOf(v) != variants.lastIndexOf(v);
      names.add(repeated ? v + " [" + models.get(i).dir().getFileName() + "]" : v);
    }
    return names;
  }

  private static FusionVariant variant(VerifiedModel m) {
    return FusionVariant.parse(fusion(m).variant());
  }

  private static FusionCard fusion(VerifiedModel m) {
    if (m.card().fusion() == null) {
      throw new CdsException(
          ErrorCode.MODEL_CARD_INVALID, "model card of " + m.dir() + " has no fusion section");
    }
    return m.card().fusion();
  }

  /** The image input side all models share (the set is encoded once). */
  private static int inputSize(List<VerifiedModel> models) {
    List<Integer> sizes =
        models.stream().map(m -> fusion(m).image().inputSize()).distinct().toList();
    if (sizes.size() != 1) {
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT, "models differ in image input size " + sizes);
    }
    return sizes.get(0);
  }
}
