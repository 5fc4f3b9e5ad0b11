package org.tandemcds.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.encode.TrainingSetEncoder;
import org.tandemcds.model.Devices;
import org.tandemcds.model.Engines;
import org.tandemcds.model.FusionCard;
import org.tandemcds.model.FusionModel;
import org.tandemcds.model.FusionSpec;
import org.tandemcds.model.FusionTrainer;
import org.tandemcds.model.FusionVariant;
import org.tandemcds.model.GateFit;
import org.tandemcds.model.ImageNetworkSpec;
import org.tandemcds.model.LabelledStudy;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.ModelCalibrator;
import org.tandemcds.model.ModelCard;
import org.tandemcds.model.PretrainedTextModel;
import org.tandemcds.model.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem train}: trains the case model on a labelled set and writes a model directory. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains Tandem's image network and hybrid fusion network on a folder with a manifest.json",
      "(DICOM + FHIR notes + labels; format in docs/models.md), calibrates it on the validation",
      "split and writes a model directory with a sha256-pinned model card."
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, description = "folder holding manifest.json")
  Path data;

  @Option(names = "--out", required = true, description = "model directory to write (new or empty)")
  Path out;

  @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--epochs",
      defaultValue = "30",
      description = "most epochs (default ${DEFAULT-VALUE})")
  int epochs;

  @Option(
      names = "--batch-size",
      defaultValue = "16",
      description = "cases per step (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--variant",
      defaultValue = "hybrid",
      description = "hybrid, image-only, note-only, early or late (default ${DEFAULT-VALUE})")
  String variant;

  @Option(
      names = "--input-size",
      defaultValue = "320",
      description = "image network input side (default ${DEFAULT-VALUE})")
  int inputSize;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "use only the first N studies (0: all)")
  int limit;

  @Option(
      names = "--version",
      defaultValue = "0.1.0",
      description = "model version written to the card")
  String version;

  @Option(
      names = "--image-pooling",
      description =
          "how the image head reads the feature map: 0 = linear over its global average (default),"
              + " r > 0 = per-cell scores pooled by log-sum-exp with sharpness r; with"
              + " --image-from, the image expert's value is used")
  Float imagePooling;

  @Option(
      names = "--image-from",
      description =
          "model directory whose image network is reused frozen; only the fusion network trains"
              + " (two-stage recipe, docs/models.md)")
  Path imageFrom;

  @Option(
      names = "--note-from",
      description =
          "note-only model directory whose note path and note head are reused frozen (the"
              + " note expert); with --image-from an image-only model, its image head is reused"
              + " frozen too (docs/models.md)")
  Path noteFrom;

  @Option(
      names = "--joint-from",
      description =
          "early-fusion model directory whose cross-attention path and joint head are reused"
              + " frozen (with --image-from and --note-from, a hybrid then trains its gate only)")
  Path jointFrom;

  @Option(
      names = "--lesion-weight",
      defaultValue = "1",
      description =
          "weight of the lesion loss on the image feature map, for studies whose manifest"
              + " localises lesions (0: off; default ${DEFAULT-VALUE})")
  float lesionWeight;

  @Option(
      names = "--cam-weight",
      defaultValue = "0",
      description =
          "weight of the CAM localisation loss, which teaches the class activation map of the"
              + " image head (while the image network trains) and of the joint head (when it"
              + " trains on a frozen image network) to peak on the lesion, for the same studies"
              + " (0: off; default ${DEFAULT-VALUE})")
  float camWeight;

  @Option(
      names = "--negation-weight",
      defaultValue = "0",
      description =
          "weight of the negation loss, which teaches the trained model that a note mention"
              + " speaking against a finding (the manifest's negated note spans) lowers that"
              + " finding's logit (variants that read the note; 0: off; default ${DEFAULT-VALUE})")
  float negationWeight;

  @Option(
      names = "--gate-fit",
      description =
          "after training, set the gate for cases with both inputs, per finding, to the mix of the"
              + " head logits with the best validation AUROC (gated variants: hybrid, late;"
              + " docs/decisions/0020-gate-fitted-on-validation.md)")
  boolean gateFit;

  @Mixin ModelOptions networks;

  @Override
  public Integer call() {
    Engines.init();
    PrintWriter err = spec.commandLine().getErr();
    TrainingOptions options = options();
    if (gateFit && !options.fusion().variant().gated()) {
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT,
          "--gate-fit needs a variant with a gate (hybrid, late), not " + variant);
    }
    requireEmpty(out);
    TrainingSetEncoder.Result encoded = encode(studies(), inputSize, err);
    FusionTrainer.Trained trained =
        new FusionTrainer(new Devices(networks.devicePreference()))
            .train(
                encoded.cases(),
                options,
                new TrainingProgress(err, batchSize),
                imageFrom == null ? null : new ModelArtifacts().open(imageFrom),
                noteFrom == null ? null : new ModelArtifacts().open(noteFrom),
                jointFrom == null ? null : new ModelArtifacts().open(jointFrom));
    try (var model = trained.model()) {
      Map<String, Object> gate =
          gateFit ? new GateFit().fit(model, trained.validation(), batchSize) : null;
      FusionCard card =
          new ModelCalibrator()
              .calibrate(trained, options, summary(encoded, trained), textModel(), gate);
      ModelCard written = model.write(out, version);
      err.printf("validation AUROC: %s%n", card.validation().get("auroc"));
      spec.commandLine()
          .getOut()
          .println(out.resolve(ModelCard.FILE_NAME) + " " + written.version());
    }
    return 0;
  }

  private TrainingOptions options() {
    FusionVariant v = FusionVariant.parse(variant);
    ImageNetworkSpec image = ImageNetworkSpec.standard().withInputSize(inputSize);
    return TrainingOptions.standard(seed, v)
        .withNetworks(image, FusionSpec.standard(v, image).withImagePooling(pooling()))
        .withEpochs(epochs)
        .withBatchSize(batchSize)
        .withLesionWeight(lesionWeight)
        .withCamWeight(camWeight)
        .withNegationWeight(negationWeight);
  }

  /** The image head's pooling: as given, else the image expert's, else mean pooling. */
  private float pooling() {
    if (imagePooling != null) {
      return imagePooling;
    }
    return imageFrom == null
        ? 0f
        : FusionModel.fusionCard(new ModelArtifacts().open(imageFrom)).fusion().imagePooling();
  }

  private List<LabelledStudy> studies() {
    return LabelledSet.studies(data, limit);
  }

  private TrainingSetEncoder.Result encode(List<LabelledStudy> studies, int size, PrintWriter err) {
    return new LabelledSet(networks.cache, err, networks.encodedCache).encode(studies, size);
  }

  private static FusionCard.DataSummary summary(
      TrainingSetEncoder.Result r, FusionTrainer.Trained trained) {
    return FusionCard.DataSummary.of(
        r.cases(), trained, FusionSpec.CHEST_FINDINGS, r.modes(), r.rejected());
  }

  private static Map<String, String> textModel() {
    return Map.of("name", PretrainedTextModel.NAME, "onnxSha256", PretrainedTextModel.ONNX_SHA256);
  }

  private static void requireEmpty(Path dir) {
    try {
      if (Files.exists(dir) && (!Files.isDirectory(dir) || Files.list(dir).findAny().isPresent())) {
        throw new CdsException(ErrorCode.INVALID_ARGUMENT, dir + " exists and is not empty");
      }
    } catch (java.io.IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot list " + dir, e);
    }
  }
}
