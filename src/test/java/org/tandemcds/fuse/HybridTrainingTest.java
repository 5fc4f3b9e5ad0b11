package org.tandemcds.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.encode.EncodedSetFile;
import org.tandemcds.encode.Encodings;
import org.tandemcds.encode.ImageEncoder;
import org.tandemcds.encode.ImageFeatures;
import org.tandemcds.encode.TextEncoder;
import org.tandemcds.encode.TokenFeatures;
import org.tandemcds.encode.TokenWindow;
import org.tandemcds.encode.TrainingSetEncoder;
import org.tandemcds.model.CaseModel;
import org.tandemcds.model.DevicePreference;
import org.tandemcds.model.Devices;
import org.tandemcds.model.Engines;
import org.tandemcds.model.FusionCard;
import org.tandemcds.model.FusionModel;
import org.tandemcds.model.FusionSpec;
import org.tandemcds.model.FusionTrainer;
import org.tandemcds.model.FusionVariant;
import org.tandemcds.model.ImageModel;
import org.tandemcds.model.ImageNetworkSpec;
import org.tandemcds.model.LabelledStudy;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.ModelCalibrator;
import org.tandemcds.model.ModelCard;
import org.tandemcds.model.PretrainedTextModel;
import org.tandemcds.model.TrainingCase;
import org.tandemcds.model.TrainingListener;
import org.tandemcds.model.TrainingManifest;
import org.tandemcds.model.TrainingOptions;
import org.tandemcds.model.VerifiedModel;
import org.tandemcds.samples.SampleSets;

/** Trains tiny models on tiny generated studies through the real parse, encode and fuse code. */
class HybridTrainingTest {
  private static final int SIZE = 64;
  private static final ImageNetworkSpec IMAGE = ImageNetworkSpec.standard().withInputSize(SIZE);
  @TempDir static Path dir;
  private static List<TrainingCase> cases;
  private static FusionTrainer.Trained trained;
  private static final List<Double> stepLosses = new ArrayList<>();

  @BeforeAll
  static void encodeTinyStudies() {
    Engines.init();
    List<LabelledStudy> studies = SampleSets.tinyTrainingSet(dir.resolve("set"));
    PretrainedTextModel.TextModelFiles files =
        new PretrainedTextModel().extract(Path.of("target", "test-models"));
    try (App app = App.start(AppConfig.defaults());
        TextEncoder text = TextEncoder.open(files)) {
      TrainingSetEncoder.Result r =
          new TrainingSetEncoder(app.caseParser(), text, SIZE, FusionSpec.CHEST_FINDINGS)
              .encode(studies, i -> {});
      assertThat(r.rejected()).isEmpty();
      cases = r.cases();
    }
    trained = train(options(5, 0), recordingListener());
  }

  @AfterAll
  static void close() {
    if (trained != null) {
      trained.model().close();
    }
  }

  static TrainingOptions options(long seed, int maxSteps) {
    return options(seed, maxSteps, FusionVariant.HYBRID);
  }

  static TrainingOptions options(long seed, int maxSteps, FusionVariant variant) {
    FusionSpec fusion =
        new FusionSpec(
            FusionSpec.CHEST_FINDINGS, variant, 32, 4, 1, 384, IMAGE.channels(), 2, 0.0f);
    return TrainingOptions.standard(seed, variant)
        .withNetworks(IMAGE, fusion)
        .withEpochs(8)
        .withBatchSize(5)
        .withLearningRate(3e-3f)
        .withAugment(false)
        .withMaxStepsPerEpoch(maxSteps);
  }

  static FusionTrainer.Trained train(TrainingOptions o, TrainingListener listener) {
    return new FusionTrainer(new Devices(DevicePreference.CPU)).train(cases, o, listener);
  }

  static TrainingListener recordingListener() {
    return recording(stepLosses);
  }

  /** A listener that adds every step's loss to {@code into}. */
  static TrainingListener recording(List<Double> into) {
    return new TrainingListener() {
      @Override
      public void onStep(int epoch, int epochs, int step, int steps, double loss) {
        into.add(loss);
      }

      @Override
      public void onEpoch(EpochResult result) {}
    };
  }

  /** The single-modality experts of the two-stage recipe, trained one step each. */
  private static VerifiedModel imageExpert(FusionTrainer trainer) {
    return expert(
        trainer.train(cases, options(3, 1, FusionVariant.IMAGE_ONLY), TrainingListener.NONE),
        FusionVariant.IMAGE_ONLY);
  }

  private static VerifiedModel noteExpert(FusionTrainer trainer) {
    return expert(
        trainer.train(cases, options(4, 1, FusionVariant.NOTE_ONLY), TrainingListener.NONE),
        FusionVariant.NOTE_ONLY);
  }

  @Test
  void encoded_cases_keep_the_network_input_size_and_every_note_token() {
    assertThat(cases).hasSize(12);
    assertThat(cases).filteredOn(TrainingCase::hasImage).allMatch(c -> c.inputSize() == SIZE);
    assertThat(cases).filteredOn(TrainingCase::hasNote).allMatch(c -> c.tokenCount() > 20);
  }

  @Test
  void training_loss_falls_over_a_few_epochs() {
    int perEpoch = 2; // 10 training cases in batches of 5
    double first =
        stepLosses.subList(0, perEpoch).stream().mapToDouble(d -> d).average().orElseThrow();
    int n = stepLosses.size();
    double last =
        stepLosses.subList(n - perEpoch, n).stream().mapToDouble(d -> d).average().orElseThrow();

    assertThat(n).isEqualTo(8 * perEpoch);
    assertThat(last).isLessThan(first * 0.8);
  }

  @Test
  void a_batch_whose_loss_is_not_finite_is_dropped_and_counted_not_applied() {
    // A note-only model (no modality dropout: every training note is read). One training case
    // (the split of the same seed, taken from a clean run) gets a NaN in its first token
    // embedding, so the loss of the one batch holding it is NaN in every epoch; applied, that step
    // would make every parameter NaN.
    TrainingOptions o = options(5, 0, FusionVariant.NOTE_ONLY).withEpochs(2);
    String poisoned;
    FusionTrainer.Trained first = train(o.withEpochs(1), TrainingListener.NONE);
    try (CaseModel m = first.model()) {
      poisoned = first.train().get(0).id();
    }
    String target = poisoned;
    List<TrainingCase> withNaN =
        cases.stream()
            .map(
                c -> {
                  if (!c.id().equals(target)) {
                    return c;
                  }
                  short[] tokens = c.tokens().clone();
                  tokens[0] = TrainingCase.packFeatures(new float[] {Float.NaN})[0];
                  return new TrainingCase(
                      c.id(),
                      c.inputSize(),
                      c.image(),
                      c.content(),
                      tokens,
                      c.tokenCount(),
                      c.dimension(),
                      c.labels(),
                      c.lesions());
                })
            .toList();
    FusionTrainer.Trained t =
        new FusionTrainer(new Devices(DevicePreference.CPU))
            .train(withNaN, o, TrainingListener.NONE);
    try (CaseModel m = t.model()) {
      assertThat(t.train()).extracting(TrainingCase::id).contains(target);
      assertThat(t.skippedSteps()).isEqualTo(2); // its batch, once per epoch
      int notFinite = 0;
      for (float[] p : m.parameterValues()) {
        for (float v : p) {
          notFinite += Float.isFinite(v) ? 0 : 1;
        }
      }
      assertThat(notFinite).isZero();
    }
  }

  @Test
  void same_seed_gives_identical_parameters_after_the_same_steps() {
    List<float[]> a;
    List<float[]> b;
    try (CaseModel m = train(options(9, 1).withEpochs(2), TrainingListener.NONE).model()) {
      a = m.parameterValues();
    }
    try (CaseModel m = train(options(9, 1).withEpochs(2), TrainingListener.NONE).model()) {
      b = m.parameterValues();
    }
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      assertThat(Arrays.equals(a.get(i), b.get(i))).as("parameter " + i).isTrue();
    }
  }

  @Test
  void trained_model_round_trips_through_the_artifacts_with_identical_probabilities()
      throws Exception {
    FusionCard card = calibrated();
    Path out = dir.resolve("model-" + System.nanoTime());
    ModelCard written = trained.model().write(out, "0.0.1-test");
    double[][] before = trained.model().probabilities(cases, 5);

    VerifiedModel verified = new ModelArtifacts().open(out);
    try (CaseModel loaded = CaseModel.load(verified, Device.cpu())) {
      assertThat(loaded.probabilities(cases, 5)).isDeepEqualTo(before);
    }
    assertThat(written.fusion().intendedUse()).isEqualTo(FusionCard.SYNTHETIC_USE);
    assertThat(written.files())
        .extracting(ModelCard.ModelFile::path)
        .containsExactly("fusion.params", "image.params");
    assertThat(card.temperatures()).hasSize(5).allMatch(t -> t > 0);
  }

  @Test
  void with_frozen_experts_the_hybrid_heads_are_exactly_the_expert_models() {
    FusionTrainer trainer = new FusionTrainer(new Devices(DevicePreference.CPU));
    VerifiedModel imageExpert = imageExpert(trainer);
    VerifiedModel noteExpert = noteExpert(trainer);
    VerifiedModel jointExpert =
        expert(
            trainer.train(
                cases,
                options(6, 1, FusionVariant.EARLY),
                TrainingListener.NONE,
                imageExpert,
                noteExpert),
            FusionVariant.EARLY);
    VerifiedModel otherJoint =
        expert(
            trainer.train(cases, options(7, 1, FusionVariant.EARLY), TrainingListener.NONE),
            FusionVariant.EARLY);
    assertThatThrownBy(
            () ->
                trainer.train(
                    cases,
                    options(5, 1),
                    TrainingListener.NONE,
                    imageExpert,
                    noteExpert,
                    otherJoint))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));

    FusionTrainer.Trained hybrid =
        trainer.train(
            cases,
            options(5, 1).withEpochs(2),
            TrainingListener.NONE,
            imageExpert,
            noteExpert,
            jointExpert);
    try (CaseModel h = hybrid.model();
        CaseModel i = CaseModel.load(imageExpert, Device.cpu());
        CaseModel n = CaseModel.load(noteExpert, Device.cpu());
        CaseModel j = CaseModel.load(jointExpert, Device.cpu())) {
      List<TrainingCase> both = cases.stream().filter(c -> c.hasImage() && c.hasNote()).toList();
      CaseModel.Outputs ho = h.run(both, 5);
      CaseModel.Outputs io = i.run(both, 5);
      CaseModel.Outputs no = n.run(both, 5);
      CaseModel.Outputs jo = j.run(both, 5);
      for (int k = 0; k < 5; k++) {
        float[] imageHead = ho.head(k, 0);
        float[] noteHead = ho.head(k, 1);
        float[] jointHead = ho.head(k, 2);
        for (int c = 0; c < both.size(); c++) {
          assertThat(imageHead[c]).isCloseTo(io.fused(k)[c], within(1e-4f));
          assertThat(noteHead[c]).isCloseTo(no.fused(k)[c], within(1e-4f));
          assertThat(jointHead[c]).isCloseTo(jo.fused(k)[c], within(1e-4f));
        }
      }
      assertThat(hybrid.frozenExperts())
          .containsExactly(
              "image head from " + imageExpert.cardSha256(),
              "note path and note head from " + noteExpert.cardSha256(),
              "joint head from " + jointExpert.cardSha256());
    }
  }

  @Test
  void a_joint_head_on_frozen_experts_trains_with_its_cam_loss_when_the_cam_weight_is_set() {
    FusionTrainer trainer = new FusionTrainer(new Devices(DevicePreference.CPU));
    VerifiedModel imageExpert = imageExpert(trainer);
    VerifiedModel noteExpert = noteExpert(trainer);
    List<Double> losses = new ArrayList<>();
    TrainingListener recording = recording(losses);
    TrainingOptions early = options(6, 2, FusionVariant.EARLY).withEpochs(3);
    FusionTrainer.Trained plain = trainer.train(cases, early, recording, imageExpert, noteExpert);
    List<Double> plainLosses = List.copyOf(losses);
    losses.clear();
    FusionTrainer.Trained localised =
        trainer.train(cases, early.withCamWeight(2f), recording, imageExpert, noteExpert);

    try (CaseModel p = plain.model()) {
      CaseModel l = localised.model(); // closed by expert(...) below, after it is written
      assertThat(localised.skippedSteps()).isZero();
      assertThat(losses).hasSize(6).allSatisfy(v -> assertThat(v).isFinite());
      // the same seed, data and first parameters: only the CAM term differs. It adds to the first
      // step's loss (a cross-entropy over the cells is positive) and changes what the joint head
      // learns.
      assertThat(losses.get(0)).isGreaterThan(plainLosses.get(0));
      List<float[]> a = p.parameterValues();
      List<float[]> b = l.parameterValues();
      boolean changed = false;
      for (int i = 0; i < a.size(); i++) {
        changed |= !Arrays.equals(a.get(i), b.get(i));
      }
      assertThat(changed).isTrue();
    }
    VerifiedModel written = expert(localised, early.withCamWeight(2f));
    assertThat(FusionModel.fusionCard(written).training()).containsEntry("camWeight", 2.0);
  }

  @Test
  void cases_carry_a_negation_bit_for_each_finding_their_manifest_gives_a_negated_mention_of() {
    List<LabelledStudy> studies =
        new TrainingManifest().read(dir.resolve("set/manifest.json"), FusionSpec.CHEST_FINDINGS);
    int checked = 0;
    for (TrainingCase c : cases) {
      LabelledStudy s =
          studies.stream().filter(x -> x.id().equals(c.id())).findFirst().orElseThrow();
      for (int k = 0; k < FusionSpec.CHEST_FINDINGS.size(); k++) {
        boolean mentioned =
            s.negations().containsKey(FusionSpec.CHEST_FINDINGS.get(k)) && c.hasNote();
        boolean flagged = false;
        for (byte b : c.negations()) {
          flagged |= (b >> k & 1) != 0;
        }
        assertThat(flagged).as(c.id() + " finding " + k).isEqualTo(mentioned);
        checked += mentioned ? 1 : 0;
      }
    }
    assertThat(checked).isPositive();
  }

  @Test
  void a_joint_head_trained_with_the_negation_loss_lowers_its_logit_more_for_negated_mentions() {
    FusionTrainer trainer = new FusionTrainer(new Devices(DevicePreference.CPU));
    VerifiedModel imageExpert = imageExpert(trainer);
    VerifiedModel noteExpert = noteExpert(trainer);
    List<Double> losses = new ArrayList<>();
    TrainingOptions early = options(6, 2, FusionVariant.EARLY).withEpochs(4);
    TrainingOptions negating = early.withNegationWeight(5f);
    FusionTrainer.Trained plain =
        trainer.train(cases, early, TrainingListener.NONE, imageExpert, noteExpert);
    FusionTrainer.Trained negated =
        trainer.train(cases, negating, recording(losses), imageExpert, noteExpert);

    try (CaseModel p = plain.model()) {
      CaseModel n = negated.model(); // closed by expert(...) below
      assertThat(negated.skippedSteps()).isZero();
      assertThat(losses).hasSize(8).allSatisfy(v -> assertThat(v).isFinite());
      // the mean over the training cases' negated mentions of the logit with the mention minus
      // the logit with its tokens at the case's mean token: lower with the loss than without
      double without = negationGap(p);
      double with = negationGap(n);
      assertThat(with).as("with %s, without %s", with, without).isLessThan(without);
    }
    VerifiedModel written = expert(negated, negating);
    assertThat(FusionModel.fusionCard(written).training())
        .containsEntry("negationWeight", 5.0)
        .hasEntrySatisfying(
            "negationMentionCases", v -> assertThat(((Number) v).intValue()).isPositive());
  }

  /**
   * Mean over (case, finding) pairs with a negated mention of the fused logit minus the logit with
   * the mention's tokens replaced by the case's mean token, run through the model as cases.
   */
  private static double negationGap(CaseModel m) {
    double sum = 0;
    int n = 0;
    for (TrainingCase c : cases) {
      if (c.negations().length == 0) {
        continue;
      }
      int d = c.dimension();
      float[] tokens = new float[c.tokenCount() * d];
      c.unpackTokens(tokens, 0);
      for (int k = 0; k < FusionSpec.CHEST_FINDINGS.size(); k++) {
        float[] replaced = tokens.clone();
        boolean any = false;
        for (int j = 0; j < c.tokenCount(); j++) {
          if ((c.negations()[j] >> k & 1) != 0) {
            any = true;
            for (int e = 0; e < d; e++) {
              double mean = 0;
              for (int i = 0; i < c.tokenCount(); i++) {
                mean += tokens[i * d + e];
              }
              replaced[j * d + e] = (float) (mean / c.tokenCount());
            }
          }
        }
        if (!any) {
          continue;
        }
        TrainingCase other =
            new TrainingCase(
                c.id(),
                c.inputSize(),
                c.image(),
                c.content(),
                TrainingCase.packFeatures(replaced),
                c.tokenCount(),
                d,
                c.labels());
        CaseModel.Outputs o = m.run(List.of(c, other), 2);
        sum += o.fused(k)[0] - o.fused(k)[1];
        n++;
      }
    }
    assertThat(n).isPositive();
    return sum / n;
  }

  @Test
  void a_log_sum_exp_image_expert_serves_only_a_model_that_pools_the_same_way() {
    FusionTrainer trainer = new FusionTrainer(new Devices(DevicePreference.CPU));
    TrainingOptions imageOnly = pooled(options(3, 1, FusionVariant.IMAGE_ONLY), 3f);
    VerifiedModel imageExpert =
        expert(trainer.train(cases, imageOnly, TrainingListener.NONE), FusionVariant.IMAGE_ONLY);
    assertThat(FusionModel.fusionCard(imageExpert).fusion().imagePooling()).isEqualTo(3f);

    assertThatThrownBy(
            () ->
                trainer.train(
                    cases, options(5, 1, FusionVariant.LATE), TrainingListener.NONE, imageExpert))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));

    FusionTrainer.Trained late =
        trainer.train(
            cases,
            pooled(options(5, 1, FusionVariant.LATE), 3f),
            TrainingListener.NONE,
            imageExpert);
    try (CaseModel l = late.model();
        CaseModel i = CaseModel.load(imageExpert, Device.cpu())) {
      List<TrainingCase> withImage = cases.stream().filter(TrainingCase::hasImage).toList();
      CaseModel.Outputs lo = l.run(withImage, 5);
      CaseModel.Outputs io = i.run(withImage, 5);
      for (int k = 0; k < 5; k++) {
        assertThat(lo.head(k, 0)).containsExactly(io.fused(k), within(1e-4f));
      }
    }
  }

  private static TrainingOptions pooled(TrainingOptions o, float r) {
    return o.withNetworks(o.image(), o.fusion().withImagePooling(r));
  }

  private static VerifiedModel expert(FusionTrainer.Trained t, FusionVariant v) {
    return expert(t, options(1, 1, v));
  }

  /** Calibrates and writes a trained model; its card records {@code o} as the recipe. */
  private static VerifiedModel expert(FusionTrainer.Trained t, TrainingOptions o) {
    try (CaseModel m = t.model()) {
      new ModelCalibrator()
          .calibrate(
              t,
              o,
              FusionCard.DataSummary.of(cases, t, FusionSpec.CHEST_FINDINGS, Map.of(), Map.of()),
              Map.of());
      Path out = dir.resolve("expert-" + System.nanoTime());
      m.write(out, "0.0.1-test");
      return new ModelArtifacts().open(out);
    }
  }

  @Test
  void a_changed_parameter_file_is_refused_with_a_coded_error() throws Exception {
    calibrated();
    Path out = dir.resolve("model-" + System.nanoTime());
    trained.model().write(out, "0.0.1-test");
    byte[] bytes = Files.readAllBytes(out.resolve("fusion.params"));
    bytes[bytes.length - 1] ^= 1;
    Files.write(out.resolve("fusion.params"), bytes);

    assertThatThrownBy(() -> new ModelArtifacts().open(out))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_CHECKSUM_MISMATCH));
  }

  /** The shared trained model, calibrated, written to a new folder and verified. */
  private static VerifiedModel calibratedCopy() {
    calibrated();
    Path out = dir.resolve("model-" + System.nanoTime());
    trained.model().write(out, "0.0.1-test");
    return new ModelArtifacts().open(out);
  }

  private static TrainingCase firstWithBothInputs() {
    return cases.stream().filter(c -> c.hasImage() && c.hasNote()).findFirst().orElseThrow();
  }

  @Test
  void a_network_giving_non_finite_logits_fails_with_a_coded_error_not_a_negative_finding() {
    VerifiedModel verified = calibratedCopy();
    TrainingCase both = firstWithBothInputs();
    try (ImageModel image = ImageModel.load(verified, "image.params", IMAGE, Device.cpu());
        ImageEncoder encoder = new ImageEncoder(image);
        FusionModel fusion = FusionModel.load(verified, Device.cpu())) {
      // a fusion network whose parameters went NaN (what an unguarded training step leaves)
      fusion
          .model()
          .getBlock()
          .getParameters()
          .values()
          .forEach(p -> p.getArray().set(new ai.djl.ndarray.index.NDIndex("..."), Float.NaN));
      ImageFeatures features =
          encoder.encode(List.of(new Frame(SIZE, SIZE, both.imagePixels()))).get(0);
      Encodings encodings =
          new Encodings(Optional.of(features), List.of(tokens(both)), Mode.IMAGE_AND_NOTE);

      assertThatThrownBy(() -> new FusionStage(fusion).fuse(encodings))
          .isInstanceOf(CdsException.class)
          .hasMessageContaining("no finite probability for cardiomegaly")
          .extracting(e -> ((CdsException) e).code())
          .isEqualTo(ErrorCode.MODEL_FAILURE);
    }
  }

  @Test
  void fuse_stage_agrees_with_the_case_model_and_reports_gates_per_mode() {
    VerifiedModel verified = calibratedCopy();
    TrainingCase both = firstWithBothInputs();
    double[] expected = trained.model().probabilities(List.of(both), 1)[0];
    try (ImageModel image = ImageModel.load(verified, "image.params", IMAGE, Device.cpu());
        ImageEncoder encoder = new ImageEncoder(image);
        FusionModel fusion = FusionModel.load(verified, Device.cpu())) {
      FusionStage stage = new FusionStage(fusion);
      ImageFeatures features =
          encoder.encode(List.of(new Frame(SIZE, SIZE, both.imagePixels()))).get(0);
      TokenFeatures tokens = tokens(both);

      Prediction full =
          stage.fuse(new Encodings(Optional.of(features), List.of(tokens), Mode.IMAGE_AND_NOTE));
      Prediction imageOnly =
          stage.fuse(new Encodings(Optional.of(features), List.of(), Mode.IMAGE_ONLY));
      Prediction noteOnly =
          stage.fuse(new Encodings(Optional.empty(), List.of(tokens), Mode.NOTE_ONLY));

      for (int k = 0; k < 5; k++) {
        assertThat(full.findings().get(k).probability()).isCloseTo(expected[k], within(1e-4));
      }
      assertThat(full.mode()).isEqualTo(Mode.IMAGE_AND_NOTE);
      assertThat(imageOnly.findings())
          .allSatisfy(
              f -> {
                assertThat(f.gateImage()).isCloseTo(1, within(1e-6));
                assertThat(f.gateNote()).isZero();
                assertThat(f.gateJoint()).isZero();
              });
      assertThat(noteOnly.findings())
          .allSatisfy(
              f -> {
                assertThat(f.gateNote()).isCloseTo(1, within(1e-6));
                assertThat(f.gateImage()).isZero();
              });
      assertThat(full.findings())
          .allSatisfy(
              f ->
                  assertThat(f.gateImage() + f.gateNote() + f.gateJoint())
                      .isCloseTo(1, within(1e-5)));
      assertThat(full.findings())
          .extracting(FindingPrediction::finding)
          .containsExactlyElementsOf(FusionSpec.CHEST_FINDINGS);
      assertThat(full.modelSha256()).isEqualTo(verified.cardSha256());
    }
  }

  @Test
  void an_image_only_model_refuses_a_note_only_case_with_a_coded_error() {
    FusionSpec imageOnly =
        new FusionSpec(
            FusionSpec.CHEST_FINDINGS,
            FusionVariant.IMAGE_ONLY,
            32,
            4,
            1,
            384,
            IMAGE.channels(),
            2,
            0.0f);
    TrainingOptions o = options(3, 1).withEpochs(1).withNetworks(IMAGE, imageOnly);
    FusionTrainer.Trained t = train(o, TrainingListener.NONE);
    try (CaseModel m = t.model()) {
      new ModelCalibrator()
          .calibrate(
              t, o, new FusionCard.DataSummary(0, 0, 0, Map.of(), Map.of(), Map.of()), Map.of());
      Path out = dir.resolve("image-only-" + System.nanoTime());
      m.write(out, "0.0.1-test");
      try (FusionModel fusion = FusionModel.load(new ModelArtifacts().open(out), Device.cpu())) {
        TokenFeatures tokens =
            tokens(cases.stream().filter(TrainingCase::hasNote).findFirst().orElseThrow());
        assertThat(t.train()).noneMatch(TrainingCase::hasNote);
        assertThatThrownBy(
                () ->
                    new FusionStage(fusion)
                        .fuse(new Encodings(Optional.empty(), List.of(tokens), Mode.NOTE_ONLY)))
            .isInstanceOfSatisfying(
                CdsException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MODE_UNSUPPORTED));
      }
    }
  }

  @Test
  void stage_b_trains_the_fusion_network_on_a_frozen_image_network() {
    calibrated();
    Path source = dir.resolve("stage-a-" + System.nanoTime());
    ModelCard sourceCard = trained.model().write(source, "0.0.1-test");
    VerifiedModel frozen = new ModelArtifacts().open(source);
    List<Double> losses = new ArrayList<>();
    TrainingOptions o = options(6, 0).withEpochs(6);
    FusionTrainer.Trained t =
        new FusionTrainer(new Devices(DevicePreference.CPU))
            .train(
                cases,
                o,
                new TrainingListener() {
                  @Override
                  public void onStep(int epoch, int epochs, int step, int steps, double loss) {
                    losses.add(loss);
                  }

                  @Override
                  public void onEpoch(EpochResult result) {}
                },
                frozen);
    try (CaseModel m = t.model()) {
      new ModelCalibrator()
          .calibrate(
              t, o, new FusionCard.DataSummary(0, 0, 0, Map.of(), Map.of(), Map.of()), Map.of());
      Path out = dir.resolve("stage-b-" + System.nanoTime());
      ModelCard card = m.write(out, "0.0.1-test");

      assertThat(sha(card, "image.params")).isEqualTo(sha(sourceCard, "image.params"));
      assertThat(sha(card, "fusion.params")).isNotEqualTo(sha(sourceCard, "fusion.params"));
      assertThat(card.fusion().training().get("imageNetwork").toString())
          .contains(frozen.cardSha256());
      assertThat(losses).hasSize(6 * 2);
      double first = (losses.get(0) + losses.get(1)) / 2;
      double last = (losses.get(10) + losses.get(11)) / 2;
      assertThat(last).isLessThan(first * 0.8);
      try (CaseModel loaded = CaseModel.load(new ModelArtifacts().open(out), Device.cpu())) {
        assertThat(loaded.probabilities(cases, 5)).isDeepEqualTo(m.probabilities(cases, 5));
      }
    }
  }

  @Test
  void a_note_only_variant_refuses_a_frozen_image_network_with_a_coded_error() {
    calibrated();
    Path source = dir.resolve("stage-a-" + System.nanoTime());
    trained.model().write(source, "0.0.1-test");
    FusionSpec noteOnly =
        new FusionSpec(
            FusionSpec.CHEST_FINDINGS,
            FusionVariant.NOTE_ONLY,
            32,
            4,
            1,
            384,
            IMAGE.channels(),
            2,
            0.0f);
    TrainingOptions o = options(3, 1).withEpochs(1).withNetworks(IMAGE, noteOnly);
    assertThatThrownBy(
            () ->
                new FusionTrainer(new Devices(DevicePreference.CPU))
                    .train(cases, o, TrainingListener.NONE, new ModelArtifacts().open(source)))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void encoded_set_file_round_trips_every_case_and_ignores_another_key() {
    Path file = dir.resolve("set-" + System.nanoTime() + ".enc");
    TrainingSetEncoder.Result r =
        new TrainingSetEncoder.Result(cases, Map.of("study-x", "TDM-101"), Map.of("both", 9));
    EncodedSetFile.write(file, "key-1", r);

    TrainingSetEncoder.Result back = EncodedSetFile.read(file, "key-1").orElseThrow();
    assertThat(back.cases()).hasSameSizeAs(cases);
    for (int i = 0; i < cases.size(); i++) {
      TrainingCase a = cases.get(i);
      TrainingCase b = back.cases().get(i);
      assertThat(b.id()).isEqualTo(a.id());
      assertThat(b.image()).isEqualTo(a.image());
      assertThat(b.content()).isEqualTo(a.content());
      assertThat(b.tokens()).isEqualTo(a.tokens());
      assertThat(b.tokenCount()).isEqualTo(a.tokenCount());
      assertThat(b.labels()).isEqualTo(a.labels());
      assertThat(b.lesions()).isDeepEqualTo(a.lesions());
      assertThat(b.negations()).isEqualTo(a.negations());
    }
    assertThat(cases).anySatisfy(c -> assertThat(c.negations()).isNotEmpty());
    assertThat(back.rejected()).isEqualTo(r.rejected());
    assertThat(back.modes()).isEqualTo(r.modes());
    assertThat(EncodedSetFile.read(file, "key-2")).isEmpty();
    assertThat(Files.exists(file.resolveSibling(file.getFileName() + ".part"))).isFalse();
  }

  private static String sha(ModelCard card, String path) {
    return card.files().stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .orElseThrow()
        .sha256();
  }

  private static synchronized FusionCard calibrated() {
    if (trained.model().card() == null) {
      new ModelCalibrator()
          .calibrate(
              trained,
              options(5, 0),
              new FusionCard.DataSummary(
                  cases.size(),
                  trained.train().size(),
                  trained.validation().size(),
                  Map.of(),
                  Map.of(),
                  Map.of()),
              Map.of("name", PretrainedTextModel.NAME));
    }
    return trained.model().card();
  }

  private static TokenFeatures tokens(TrainingCase c) {
    float[] values = new float[c.tokenCount() * c.dimension()];
    c.unpackTokens(values, 0);
    List<TextSpan> spans = new ArrayList<>();
    for (int i = 0; i < c.tokenCount(); i++) {
      spans.add(new TextSpan(i, i + 1));
    }
    return new TokenFeatures(
        c.dimension(),
        values,
        spans,
        List.of(new TokenWindow(0, c.tokenCount(), false)),
        new int[c.tokenCount()]);
  }
}
