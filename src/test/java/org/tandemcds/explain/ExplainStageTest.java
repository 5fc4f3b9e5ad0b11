package org.tandemcds.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.NoteAttribution;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.SaliencyMap;
import org.tandemcds.encode.Encodings;
import org.tandemcds.encode.ImageEncoder;
import org.tandemcds.encode.ImageFeatures;
import org.tandemcds.encode.Letterbox;
import org.tandemcds.encode.TextEncoder;
import org.tandemcds.encode.TokenFeatures;
import org.tandemcds.encode.TrainingSetEncoder;
import org.tandemcds.fuse.FusionStage;
import org.tandemcds.model.DevicePreference;
import org.tandemcds.model.Devices;
import org.tandemcds.model.Engines;
import org.tandemcds.model.FusionCard;
import org.tandemcds.model.FusionGradients;
import org.tandemcds.model.FusionModel;
import org.tandemcds.model.FusionSpec;
import org.tandemcds.model.FusionTrainer;
import org.tandemcds.model.FusionVariant;
import org.tandemcds.model.ImageModel;
import org.tandemcds.model.ImageNetworkSpec;
import org.tandemcds.model.ImageProbe;
import org.tandemcds.model.LabelledStudy;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.ModelCalibrator;
import org.tandemcds.model.PretrainedTextModel;
import org.tandemcds.model.TrainingListener;
import org.tandemcds.model.TrainingManifest;
import org.tandemcds.model.TrainingOptions;
import org.tandemcds.model.VerifiedModel;
import org.tandemcds.samples.SampleSets;

/**
 * A tiny hybrid model trained on tiny generated studies through the real parse, encode and fuse
 * code, then explained: gradients against finite differences, integrated-gradients completeness,
 * and the explanation's contract.
 */
class ExplainStageTest {
  private static final int SIZE = 64;
  private static final ImageNetworkSpec IMAGE = ImageNetworkSpec.standard().withInputSize(SIZE);
  @TempDir static Path dir;
  private static ImageModel image;
  private static FusionModel fusion;
  private static VerifiedModel verified;
  private static ImageEncoder imageEncoder;
  private static TextEncoder text;
  private static CaseInput input;
  private static Encodings encodings;

  @BeforeAll
  static void trainTinyModelAndParseOneCase() {
    Engines.init();
    List<LabelledStudy> studies = SampleSets.tinyTrainingSet(dir.resolve("set"));
    PretrainedTextModel.TextModelFiles files =
        new PretrainedTextModel().extract(Path.of("target", "test-models"));
    text = TextEncoder.open(files);
    try (App app = App.start(AppConfig.defaults())) {
      TrainingSetEncoder.Result r =
          new TrainingSetEncoder(app.caseParser(), text, SIZE, FusionSpec.CHEST_FINDINGS)
              .encode(studies, i -> {});
      // Tiny trainings intermittently diverge to NaN in this engine (open issue, see the Surefire
      // note in pom.xml): train again with the next seed, at most three times, and say so.
      FusionTrainer.Trained trained = null;
      TrainingOptions options = null;
      for (long seed = 5; seed < 8 && trained == null; seed++) {
        options = options(seed);
        FusionTrainer.Trained t =
            new FusionTrainer(new Devices(DevicePreference.CPU))
                .train(r.cases(), options, TrainingListener.NONE);
        if (finite(t.model().run(r.cases(), 5).fused())) {
          trained = t;
        } else {
          t.model().close();
        }
      }
      assertThat(trained).as("a tiny model with finite outputs in three seeds").isNotNull();
      try (var model = trained.model()) {
        new ModelCalibrator()
            .calibrate(
                trained,
                options,
                new FusionCard.DataSummary(0, 0, 0, Map.of(), Map.of(), Map.of()),
                Map.of("name", PretrainedTextModel.NAME));
        model.write(dir.resolve("model"), "0.0.1-test");
      }
      LabelledStudy both =
          studies.stream()
              .filter(s -> s.dicom().isPresent() && s.bundle().isPresent())
              .findFirst()
              .orElseThrow();
      input =
          app.caseParser()
              .parse(new AnalysisRequest(both.id(), both.dicom(), List.of(both.bundle().get())));
    }
    verified = new ModelArtifacts().open(dir.resolve("model"));
    image = ImageModel.load(verified, "image.params", IMAGE, Device.cpu());
    fusion = FusionModel.load(verified, Device.cpu());
    imageEncoder = new ImageEncoder(image);
    ImageFeatures features = imageEncoder.encode(List.of(ExplainStage.frame(input))).get(0);
    encodings =
        new Encodings(
            Optional.of(features),
            input.notes().stream().map(text::encode).toList(),
            Mode.IMAGE_AND_NOTE);
  }

  @AfterAll
  static void close() {
    imageEncoder.close();
    text.close();
    image.close();
    fusion.close();
  }

  private static boolean finite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static TrainingOptions options(long seed) {
    FusionSpec spec =
        new FusionSpec(
            FusionSpec.CHEST_FINDINGS,
            FusionVariant.HYBRID,
            32,
            4,
            1,
            384,
            IMAGE.channels(),
            2,
            0f);
    return TrainingOptions.standard(seed, FusionVariant.HYBRID)
        .withNetworks(IMAGE, spec)
        .withEpochs(3)
        .withBatchSize(5)
        .withLearningRate(3e-3f)
        .withAugment(false);
  }

  private static FusionGradients.Inputs inputs(boolean note) {
    return new ExplainStage(Optional.of(image), fusion, ExplainStage.Settings.standard())
        .inputs(encodings, true, note);
  }

  @Test
  void the_feature_map_gradient_matches_central_finite_differences_of_the_fused_logit() {
    FusionGradients g = new FusionGradients(fusion);
    FusionGradients.Inputs in = inputs(true);
    FusionGradients.MapGradients grads = g.mapGradients(in);
    float eps = 1e-2f;
    int plane = encodings.image().get().mapRows() * encodings.image().get().mapRows();
    for (int k : new int[] {0, 2, 4}) {
      for (int cell : new int[] {0, 5, 3 * plane + 1, 17 * plane + 3}) {
        float[] plus = in.map().clone();
        float[] minus = in.map().clone();
        plus[cell] += eps;
        minus[cell] -= eps;
        double numeric = (g.logits(with(in, plus))[k] - g.logits(with(in, minus))[k]) / (2.0 * eps);
        assertThat(grads.gradients()[k][cell])
            .as("finding %d cell %d", k, cell)
            .isCloseTo((float) numeric, within((float) (2e-3 + 0.05 * Math.abs(numeric))));
      }
    }
    assertThat(grads.logits()).containsExactly(g.logits(in), within(1e-4f));
  }

  private static FusionGradients.Inputs with(FusionGradients.Inputs in, float[] map) {
    return new FusionGradients.Inputs(map, in.tokens(), in.tokenCount(), in.image(), in.note());
  }

  @Test
  void integrated_gradients_are_complete_the_scores_sum_to_the_logit_change_from_the_baseline() {
    FusionGradients g = new FusionGradients(fusion);
    FusionGradients.TokenAttributions fine = g.integratedGradients(inputs(true), 64);
    FusionGradients.TokenAttributions standard = g.integratedGradients(inputs(true), 16);
    for (int k = 0; k < 5; k++) {
      double delta = fine.logits()[k] - fine.baselineLogits()[k];
      assertThat(sum(fine.scores()[k])).isCloseTo(delta, within(1e-3 + 0.02 * Math.abs(delta)));
      assertThat(sum(standard.scores()[k])).isCloseTo(delta, within(1e-3 + 0.05 * Math.abs(delta)));
      assertThat(fine.scores()[k]).hasSize(inputs(true).tokenCount());
    }
  }

  private static double sum(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s;
  }

  @Test
  void the_image_probe_reproduces_encoder_plus_fusion_logits_on_the_unaltered_input() {
    FusionGradients.Inputs in = inputs(true);
    float[] letterboxed = new Letterbox(SIZE).apply(ExplainStage.frame(input)).image().pixels();

    float[][] probed =
        new ImageProbe(image, fusion)
            .logits(List.of(letterboxed), in.tokens(), in.tokenCount(), true);

    assertThat(probed[0]).containsExactly(new FusionGradients(fusion).logits(in), within(1e-4f));
  }

  @Test
  void stage_gradients_from_the_pixels_equal_the_feature_map_gradients_at_the_last_stage() {
    FusionGradients g = new FusionGradients(fusion);
    FusionGradients.Inputs in = inputs(true);
    float[] letterboxed = new Letterbox(SIZE).apply(ExplainStage.frame(input)).image().pixels();

    FusionGradients.StageGradients last = g.stageGradients(image, letterboxed, in, 0);
    FusionGradients.MapGradients map = g.mapGradients(in);

    assertThat(last.activations()).containsExactly(in.map(), within(1e-4f));
    assertThat(last.logits()).containsExactly(map.logits(), within(1e-4f));
    for (int k = 0; k < 5; k++) {
      assertThat(last.gradients()[k]).containsExactly(map.gradients()[k], within(1e-5f));
    }
  }

  @Test
  void the_stage_before_the_last_gives_maps_twice_as_fine_and_products_of_stages_stay_on_it() {
    FusionGradients g = new FusionGradients(fusion);
    FusionGradients.Inputs in = inputs(true);
    float[] letterboxed = new Letterbox(SIZE).apply(ExplainStage.frame(input)).image().pixels();
    int rows = encodings.image().get().mapRows();

    FusionGradients.StageGradients before = g.stageGradients(image, letterboxed, in, 1);

    assertThat(before.rows()).isEqualTo(2 * rows);
    assertThat(before.columns()).isEqualTo(2 * rows);
    assertThat(before.gradients()[0]).hasSize(before.activations().length);
    ExplainStage both =
        new ExplainStage(
            Optional.of(image), fusion, ExplainStage.Settings.standard().withStages(List.of(0, 1)));
    ExplainStage.InputMaps maps = both.inputMaps(encodings.image().get(), in);
    assertThat(maps.side()).isEqualTo(2 * rows);
    for (float[] m : maps.maps()) {
      assertThat(m).hasSize(4 * rows * rows);
      for (float v : m) {
        assertThat(v).isGreaterThanOrEqualTo(0f);
      }
    }
    assertThatThrownBy(() -> g.stageGradients(image, letterboxed, in, 4))
        .isInstanceOf(IllegalArgumentException.class);

    // one pass for several stages (the chain rule across cut leaves) equals one pass per stage
    List<FusionGradients.StageGradients> together =
        g.stageGradients(image, letterboxed, in, List.of(0, 2, 1));
    for (int i = 0; i < 3; i++) {
      FusionGradients.StageGradients alone =
          g.stageGradients(image, letterboxed, in, List.of(0, 2, 1).get(i));
      assertThat(together.get(i).activations()).containsExactly(alone.activations(), within(1e-5f));
      for (int k = 0; k < 5; k++) {
        assertThat(together.get(i).gradients()[k])
            .containsExactly(alone.gradients()[k], within(1e-5f));
      }
    }
  }

  @Test
  void the_faithfulness_evaluation_runs_the_real_stages_over_a_labelled_set_and_writes_its_tallies()
      throws Exception {
    List<LabelledStudy> studies =
        new TrainingManifest()
            .read(dir.resolve("set").resolve("manifest.json"), FusionSpec.CHEST_FINDINGS);
    Path out = dir.resolve("explain-evaluation");
    try (App app = App.start(AppConfig.defaults());
        ExplainModels models =
            ExplainModels.open(
                verified,
                new Devices(DevicePreference.CPU),
                new PretrainedTextModel().extract(Path.of("target", "test-models")),
                ExplainStage.Settings.standard().withStages(List.of(0, 1)))) {
      List<String> progress = new java.util.ArrayList<>();
      String table =
          new ExplainEvaluation(models, app.caseParser(), 1, 1)
              .run(studies, dir.resolve("set").resolve("manifest.json"), out, progress::add);

      assertThat(progress).hasSize(studies.size());
      assertThat(table).contains("| metric |");
    }
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(out.resolve("explain-evaluation.json").toFile());
    assertThat(json.path("format").asText()).isEqualTo("tandem-explain-evaluation/1");
    assertThat(json.path("cam").asText()).isEqualTo("hires-cam@0+1");
    assertThat(json.path("studiesEvaluated").asInt()).isEqualTo(studies.size());
    var metrics = json.path("metrics");
    // every generated note carries spans, so the note metrics are always measured
    assertThat(
            metrics
                .path("evidence span among the top 3, every finding with spans of any stance")
                .path("measured")
                .asInt())
        .isPositive();
    metrics
        .fields()
        .forEachRemaining(
            m -> {
              assertThat(m.getValue().path("passed").asInt())
                  .as(m.getKey())
                  .isBetween(0, m.getValue().path("measured").asInt());
            });
    if (metrics.has("negated mention has negative attribution")) {
      assertThat(
              metrics
                  .path("cross-check: IG sign agrees with removal, negated mentions")
                  .path("measured")
                  .asInt())
          .isEqualTo(
              metrics.path("negated mention has negative attribution").path("measured").asInt());
    }
  }

  @Test
  void randomising_the_last_stage_changes_the_feature_map() {
    try (ImageModel copy = ImageModel.load(verified, "image.params", IMAGE, Device.cpu());
        ImageEncoder encoder = new ImageEncoder(copy)) {
      ImageProbe.randomiseLastStage(copy, 3);
      float[] random = encoder.encode(List.of(ExplainStage.frame(input))).get(0).featureMap();
      float[] trained = encodings.image().get().featureMap();

      assertThat(random).hasSameSizeAs(trained);
      assertThat(Deletion.spearman(random, trained)).isLessThan(0.9);
    }
  }

  @Test
  void an_explanation_keeps_its_contract_for_every_finding() {
    Prediction p = new FusionStage(fusion).fuse(encodings);
    String asked = p.findings().get(1).finding();
    ExplainStage stage =
        new ExplainStage(Optional.of(image), fusion, ExplainStage.Settings.standard());

    Explanation e = stage.explain(input, encodings, p, Set.of(asked));

    Frame frame = ExplainStage.frame(input);
    Prediction imageOnly =
        new FusionStage(fusion).fuse(new Encodings(encodings.image(), List.of(), Mode.IMAGE_ONLY));
    Prediction noteOnly =
        new FusionStage(fusion)
            .fuse(new Encodings(Optional.empty(), encodings.notes(), Mode.NOTE_ONLY));
    String note = input.notes().get(0).text();
    assertThat(e.findings()).hasSize(5);
    for (int k = 0; k < 5; k++) {
      FindingPrediction fp = p.findings().get(k);
      FindingExplanation fe = e.findings().get(k);
      assertThat(fe.finding()).isEqualTo(fp.finding());
      assertThat(fe.saliency().isPresent()).isEqualTo(fp.positive() || fp.finding().equals(asked));
      assertThat(fe.overlay().isPresent()).isEqualTo(fe.saliency().isPresent());
      fe.saliency().ifPresent(s -> saliencyContract(s, frame));
      fe.overlay().ifPresent(o -> assertThat(decode(o.png()).getWidth()).isEqualTo(o.columns()));
      assertThat(fe.evidence()).isNotEmpty().hasSizeLessThanOrEqualTo(5);
      for (EvidenceSpan s : fe.evidence()) {
        assertThat(s.text()).isEqualTo(note.substring(s.span().start(), s.span().end()));
      }
      assertThat(fe.evidence())
          .extracting(s -> Math.abs(s.score()))
          .isSortedAccordingTo((a, b) -> Double.compare(b, a));
      assertThat(fe.contribution().probability()).isEqualTo(fp.probability());
      assertThat(
              fe.contribution().gateImage()
                  + fe.contribution().gateNote()
                  + fe.contribution().gateJoint())
          .isCloseTo(1, within(1e-5));
      assertThat(fe.contribution().withoutNote().getAsDouble())
          .isEqualTo(imageOnly.findings().get(k).probability());
      assertThat(fe.contribution().withoutImage().getAsDouble())
          .isEqualTo(noteOnly.findings().get(k).probability());
    }
    assertThat(e.notes()).hasSize(5);
    for (NoteAttribution a : e.notes()) {
      assertThat(a.tokens()).isEqualTo(encodings.notes().get(0).spans());
    }
  }

  private static void saliencyContract(SaliencyMap s, Frame frame) {
    assertThat(s.method()).isEqualTo("hires-cam");
    assertThat(s.imageRows()).isEqualTo(frame.rows());
    assertThat(s.imageColumns()).isEqualTo(frame.columns());
    assertThat(s.sopInstanceUid()).isEqualTo(ExplainStage.instance(input).sopInstanceUid());
    float max = 0;
    for (float v : s.values()) {
      assertThat(v).isBetween(0f, 1f);
      max = Math.max(max, v);
    }
    assertThat(max).isEqualTo(s.rawMaximum() > 0 ? 1f : 0f);
    s.region()
        .ifPresent(
            r -> {
              assertThat(r.left() + r.width()).isLessThanOrEqualTo(frame.columns());
              assertThat(r.top() + r.height()).isLessThanOrEqualTo(frame.rows());
            });
  }

  private static BufferedImage decode(byte[] png) {
    try {
      return ImageIO.read(new ByteArrayInputStream(png));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void explanation_files_hold_the_json_and_one_png_per_overlay_labelled_with_the_model()
      throws Exception {
    Prediction p = new FusionStage(fusion).fuse(encodings);
    Set<String> all = Set.copyOf(p.findings().stream().map(FindingPrediction::finding).toList());
    Explanation e =
        new ExplainStage(Optional.of(image), fusion, ExplainStage.Settings.standard())
            .explain(input, encodings, p, all);

    List<Path> written = ExplanationFiles.write(e, p, dir.resolve("out"));

    assertThat(written).hasSize(6);
    JsonNode json = new ObjectMapper().readTree(written.get(0).toFile());
    assertThat(json.path("format").asText()).isEqualTo("tandem-explanation/1");
    assertThat(json.path("notice").asText()).isEqualTo(ExplainStage.AI_LABEL);
    assertThat(json.path("model").path("sha256").asText()).isEqualTo(verified.cardSha256());
    assertThat(json.path("findings")).hasSize(5);
    JsonNode first = json.path("findings").get(0);
    assertThat(first.path("saliency").path("values"))
        .hasSize(
            first.path("saliency").path("gridRows").asInt()
                * first.path("saliency").path("gridColumns").asInt());
    assertThat(dir.resolve("out").resolve(first.path("overlay").asText())).isRegularFile();
    assertThat(json.path("notes").get(0).path("scores")).hasSize(encodings.notes().get(0).size());
    try (var files = Files.list(dir.resolve("out"))) {
      assertThat(files.map(Path::toString)).noneMatch(n -> n.endsWith(".part"));
    }
  }

  @Test
  void asking_for_a_finding_the_model_lacks_is_a_coded_error() {
    Prediction p = new FusionStage(fusion).fuse(encodings);
    ExplainStage stage =
        new ExplainStage(Optional.of(image), fusion, ExplainStage.Settings.standard());

    assertThatThrownBy(() -> stage.explain(input, encodings, p, Set.of("fracture")))
        .isInstanceOfSatisfying(
            CdsException.class,
            x -> assertThat(x.code()).isEqualTo(ErrorCode.EXPLAIN_FINDING_UNKNOWN));
  }

  @Test
  void
      a_non_finite_token_attribution_fails_the_explanation_with_a_coded_error_naming_the_finding() {
    Prediction p = new FusionStage(fusion).fuse(encodings);
    TokenFeatures clean = encodings.notes().get(0);
    float[] poisoned = clean.features().clone();
    poisoned[0] = Float.NaN;
    Encodings bad =
        new Encodings(
            encodings.image(),
            List.of(
                new TokenFeatures(
                    clean.dimension(), poisoned, clean.spans(), clean.windows(), clean.windowOf())),
            Mode.IMAGE_AND_NOTE);
    ExplainStage stage =
        new ExplainStage(Optional.of(image), fusion, ExplainStage.Settings.standard());

    assertThatThrownBy(() -> stage.explain(input, bad, p))
        .isInstanceOfSatisfying(
            CdsException.class,
            x -> {
              assertThat(x.code()).isEqualTo(ErrorCode.MODEL_FAILURE);
              assertThat(x.getMessage()).contains("non-finite token attribution for");
            });
  }
}
