package org.tandemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.encode.TextEncoder;
import org.tandemcds.encode.TrainingSetEncoder;
import org.tandemcds.evaluate.Roc;
import org.tandemcds.model.CaseModel;
import org.tandemcds.model.Engines;
import org.tandemcds.model.FusionSpec;
import org.tandemcds.model.LabelledStudy;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.PretrainedTextModel;
import org.tandemcds.model.TrainingCase;
import org.tandemcds.model.TrainingManifest;
import org.tandemcds.samples.SampleOptions;
import org.tandemcds.samples.SampleSets;
import org.tandemcds.samples.TransferSyntax;
import picocli.CommandLine;

/** {@code tandem evaluate} on a tiny hybrid model trained by {@code tandem train}. */
class EvaluateCommandTest {
  private static final Path CACHE = Path.of("target", "test-models");
  private static final String BAR = "deletion to the study without findings";
  private static final String WITHOUT_FINDINGS = "deletion to the study without findings";
  @TempDir static Path dir;
  private static int trainExit;
  private static int exit;
  private static String stderr;
  private static JsonNode evaluation;

  @BeforeAll
  static void train_and_evaluate_a_tiny_model() throws IOException {
    Engines.init();
    // some image-only and note-only studies, which the report must leave out of every set
    SampleOptions o =
        new SampleOptions(
            31, 64, 96, TransferSyntax.defaultMix(), "mixed", new double[] {0.6, 0.2, 0.2});
    SampleSets.write(dir.resolve("set"), o, 16, 1, true);
    trainExit =
        run(
            args(
                "train",
                model(),
                List.of("--input-size", "64", "--epochs", "2", "--batch-size", "8")));
    exit = run(evaluateArgs(dir.resolve("report"), "--seed", "7", "--resamples", "100"));
    evaluation = json(dir.resolve("report/evaluation.json"));
  }

  private static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  private static Path model() {
    return dir.resolve("model");
  }

  private static int run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    int code = cli.execute(args);
    stderr = err.toString();
    return code;
  }

  @Test
  void train_gate_fit_records_a_convex_mix_per_finding_and_is_refused_for_a_variant_without_gate()
      throws IOException {
    Path fitted = dir.resolve("fitted");
    int code = run(trainArgs(fitted, "--variant", "hybrid", "--gate-fit"));
    assertThat(code).as(stderr).isZero();
    JsonNode gate =
        json(fitted.resolve("model-card.json")).path("fusion").path("training").path("gateFit");
    assertThat(gate.path("rule").asText()).contains("validation");
    assertThat(gate.path("findings")).hasSize(FusionSpec.CHEST_FINDINGS.size());
    for (JsonNode f : gate.path("findings")) {
      double sum = 0;
      for (JsonNode w : f.path("weights")) {
        assertThat(w.asDouble()).isBetween(0.0, 1.0);
        sum += w.asDouble();
      }
      assertThat(sum).as(f.toString()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    Path refused = dir.resolve("refused");
    assertThat(run(trainArgs(refused, "--variant", "early", "--gate-fit"))).isEqualTo(2);
    assertThat(stderr).contains("TDM-403", "--gate-fit");
    assertThat(refused).doesNotExist();
  }

  private static String[] evaluateArgs(Path out, String... more) {
    return args("evaluate", out, List.of("--model", model().toString()), more);
  }

  private static String[] trainArgs(Path out, String... more) {
    return args(
        "train", out, List.of("--input-size", "64", "--epochs", "1", "--batch-size", "8"), more);
  }

  /** {@code command} on the generated set, writing to {@code out}, on the CPU, shared cache. */
  private static String[] args(String command, Path out, List<String> options, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--data",
                dir.resolve("set").toString(),
                "--out",
                out.toString(),
                "--device",
                "cpu",
                "--model-cache",
                CACHE.toString()));
    args.addAll(options);
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void evaluate_exits_zero_and_writes_the_report_page() {
    assertThat(trainExit).isZero();
    assertThat(exit).as(stderr).isZero();
    assertThat(dir.resolve("report/report.html")).isRegularFile();
    assertThat(evaluation.get("bootstrap").get("seed").asLong()).isEqualTo(7);
  }

  @Test
  void evaluate_explain_lists_every_negated_mention_pointing_and_deletion_trial_it_counts()
      throws IOException {
    Path out = dir.resolve("explain");
    int code = run(evaluateArgs(out, "--explain", "--random-orders", "1"));
    assertThat(code).as(stderr).isZero();
    JsonNode report = json(out.resolve("explain-evaluation.json"));
    JsonNode truth = json(dir.resolve("set/manifest.json"));
    JsonNode metrics = report.get("metrics");

    // Every negated mention the metric counts is listed, with the sign the metric counted and the
    // polarity the generator gave it: contradicting when the finding is present, else negated.
    JsonNode negated = report.get("negatedMentions");
    JsonNode tally = metrics.get("negated mention has negative attribution");
    assertThat(negated.size()).isPositive().isEqualTo(tally.get("measured").asInt());
    int negative = 0;
    for (JsonNode m : negated) {
      negative += m.get("attribution").asDouble() < 0 ? 1 : 0;
      boolean present = false;
      for (JsonNode st : truth.get("studies")) {
        if (st.get("id").asText().equals(m.get("study").asText())) {
          present = st.get("labels").get(m.get("finding").asText()).asInt() == 1;
        }
      }
      assertThat(m.get("polarity").asText()).isEqualTo(present ? "contradicting" : "negated");
      assertThat(m.get("text").asText()).isNotBlank();
    }
    assertThat(negative).isEqualTo(tally.get("passed").asInt());

    // Every pointing trial with both inputs is listed, hit exactly when within the tolerance.
    int trials = 0;
    int hits = 0;
    for (JsonNode t : report.get("pointingTrials")) {
      if (t.get("view").asText().equals("both inputs")) {
        trials++;
        hits += t.get("hit").asBoolean() ? 1 : 0;
      }
      assertThat(t.get("hit").asBoolean())
          .isEqualTo(t.get("distancePx").asDouble() <= t.get("tolerancePx").asDouble());
    }
    JsonNode pointing = metrics.path("pointing game, all true positives");
    assertThat(trials).isEqualTo(pointing.path("measured").asInt(0));
    assertThat(hits).isEqualTo(pointing.path("passed").asInt(0));

    // Every deletion trial is listed per view and reference, passed exactly when the saliency
    // order's area is below the random orders', the areas being those of the listed curves.
    List<String> names = new ArrayList<>();
    report.get("deletionReferences").fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "deletion to the blurred copy",
            "deletion to the content mean grey",
            "deletion to the study without findings");
    assertThat(report.get("deletionBarReference").asText())
        .isEqualTo(report.get("deletionReferences").get(BAR).asText());
    int controls = 0;
    int controlsPassed = 0;
    for (String view : List.of("both inputs", "image-only view"))
      for (String name : names) {
        JsonNode deletion = metrics.path(name + ", " + view + ": AUC below random");
        String reference = report.get("deletionReferences").get(name).asText();
        int listed = 0;
        int passed = 0;
        for (JsonNode t : report.get("deletionTrials")) {
          if (!t.get("view").asText().equals(view)
              || !t.get("reference").asText().equals(reference)) {
            continue;
          }
          listed++;
          passed += t.get("passed").asBoolean() ? 1 : 0;
          double salient = trapezoid(report.get("deletionFractions"), t.get("salientCurve"));
          double random = trapezoid(report.get("deletionFractions"), t.get("randomCurve"));
          assertThat(t.get("salientAuc").asDouble()).isCloseTo(salient, within(1e-9));
          assertThat(t.get("randomAuc").asDouble()).isCloseTo(random, within(1e-9));
          assertThat(t.get("passed").asBoolean()).isEqualTo(salient < random);
          // both curves start from the unaltered image: the probability the explanation reported
          // for that view (every input, or the note removed)
          String start =
              view.equals("both inputs") ? "probabilityWithBothInputs" : "probabilityWithoutNote";
          assertThat(t.get("salientCurve").get(0).asDouble())
              .isCloseTo(t.get(start).asDouble(), within(1e-4));
          assertThat(t.get("randomCurve").get(0).asDouble())
              .isCloseTo(t.get(start).asDouble(), within(1e-4));
          // and end on the same image, every content pixel replaced by the reference
          int last = t.get("salientCurve").size() - 1;
          assertThat(t.get("salientCurve").get(last).asDouble())
              .isCloseTo(t.get("randomCurve").get(last).asDouble(), within(1e-5));
          // the control (the randomised network's map) runs for the bar's reference with both
          // inputs, between the same two ends, and counts against the same random orders
          boolean controlled = name.equals(BAR) && view.equals("both inputs");
          assertThat(t.has("controlCurve")).isEqualTo(controlled);
          if (controlled) {
            JsonNode c = t.get("controlCurve");
            double auc = trapezoid(report.get("deletionFractions"), c);
            assertThat(t.get("controlAuc").asDouble()).isCloseTo(auc, within(1e-9));
            assertThat(c.get(0).asDouble())
                .isCloseTo(t.get("salientCurve").get(0).asDouble(), within(1e-5));
            assertThat(c.get(last).asDouble())
                .isCloseTo(t.get("salientCurve").get(last).asDouble(), within(1e-5));
            controls++;
            controlsPassed += auc < random ? 1 : 0;
          }
        }
        assertThat(listed).as(name + ", " + view).isPositive();
        assertThat(listed).isEqualTo(deletion.path("measured").asInt(0));
        assertThat(passed).isEqualTo(deletion.path("passed").asInt(0));
      }
    assertThat(report.get("deletionTrials").size()).isPositive();
    JsonNode control =
        metrics.path(
            "control: "
                + BAR
                + " along the randomised network's map, both inputs: AUC below random");
    assertThat(controls).isPositive().isEqualTo(control.path("measured").asInt(0));
    assertThat(controlsPassed).isEqualTo(control.path("passed").asInt(0));

    // The reference "study without findings" is the study's own image rendered without them:
    // with every content pixel replaced, the image-only view reads what `tandem analyze` reads
    // from that image alone.
    JsonNode set = json(dir.resolve("set").resolve("manifest.json"));
    String clearLabel = report.get("deletionReferences").get(WITHOUT_FINDINGS).asText();
    JsonNode trial = null;
    for (JsonNode t : report.get("deletionTrials")) {
      if (trial == null
          && t.get("reference").asText().equals(clearLabel)
          && t.get("view").asText().equals("image-only view")) {
        trial = t;
      }
    }
    assertThat(trial).isNotNull();
    String clear = null;
    for (JsonNode st : set.get("studies")) {
      if (st.get("id").asText().equals(trial.get("study").asText())) {
        clear = st.get("dicomWithoutFindings").asText();
      }
    }
    Path analysed = dir.resolve("analyze-without-findings");
    assertThat(
            run(
                "analyze",
                "--study",
                dir.resolve("set").resolve(clear).toString(),
                "--explain",
                "--out",
                analysed.toString(),
                "--model",
                model().toString(),
                "--device",
                "cpu",
                "--model-cache",
                CACHE.toString()))
        .as(stderr)
        .isZero();
    double alone = Double.NaN;
    for (JsonNode f :
        json(analysed.resolve("explanation").resolve("explanation.json")).get("findings")) {
      if (f.get("finding").asText().equals(trial.get("finding").asText())) {
        alone = f.get("probability").asDouble();
      }
    }
    JsonNode end = trial.get("salientCurve").get(trial.get("salientCurve").size() - 1);
    assertThat(end.asDouble()).isCloseTo(alone, within(1e-4));
  }

  @Test
  void evaluate_explain_refuses_a_set_without_its_images_without_findings_with_a_coded_error()
      throws IOException {
    Path bare = dir.resolve("bare");
    SampleSets.write(
        bare,
        new SampleOptions(31, 64, 96, TransferSyntax.defaultMix(), "mixed", new double[] {1, 0, 0}),
        2,
        1);
    Path out = dir.resolve("explain-bare");
    List<String> a = new ArrayList<>(List.of(evaluateArgs(out, "--explain")));
    a.set(a.indexOf("--data") + 1, bare.toString());

    assertThat(run(a.toArray(String[]::new))).isEqualTo(2);
    assertThat(stderr).contains("TDM-704", "--without-findings");
  }

  private static double trapezoid(JsonNode x, JsonNode y) {
    double a = 0;
    for (int i = 1; i < x.size(); i++) {
      a +=
          (x.get(i).asDouble() - x.get(i - 1).asDouble())
              * (y.get(i).asDouble() + y.get(i - 1).asDouble())
              / 2;
    }
    return a;
  }

  @Test
  void evaluate_explain_refuses_fewer_than_one_integrated_gradients_step_with_a_coded_error() {
    Path out = dir.resolve("explain-no-steps");

    assertThat(run(evaluateArgs(out, "--explain", "--ig-steps", "0"))).isEqualTo(2);
    assertThat(stderr).contains("TDM-403", "--ig-steps");
    assertThat(out).doesNotExist();
  }

  @Test
  void evaluate_explain_refuses_an_unknown_interpolation_with_a_coded_error() {
    Path out = dir.resolve("explain-bad-interpolation");

    assertThat(run(evaluateArgs(out, "--explain", "--interpolation", "nearest"))).isEqualTo(2);
    assertThat(stderr).contains("TDM-403", "--interpolation", "bicubic");
    assertThat(out).doesNotExist();
  }

  @Test
  void evaluate_explain_refuses_an_unknown_cam_method_with_a_coded_error() {
    Path out = dir.resolve("explain-bad-cam");

    assertThat(run(evaluateArgs(out, "--explain", "--cam", "score-cam"))).isEqualTo(2);
    assertThat(stderr).contains("TDM-403", "--cam", "hires-cam");
    assertThat(out).doesNotExist();
  }

  @Test
  void a_hybrid_model_gives_both_inputs_note_removed_and_image_removed_sets() {
    List<String> names = new ArrayList<>();
    evaluation.get("sets").forEach(s -> names.add(s.get("name").asText()));
    assertThat(names)
        .containsExactly(
            "hybrid, both inputs" + EvaluateCommand.BOTH_INPUT_CASES,
            "hybrid, note removed",
            "hybrid, image removed");
  }

  @Test
  void both_inputs_macro_auroc_equals_the_mean_auroc_of_the_models_own_probabilities()
      throws IOException {
    List<TrainingCase> all = encode();
    List<TrainingCase> both = all.stream().filter(c -> c.hasImage() && c.hasNote()).toList();
    double[][] p;
    try (CaseModel m = CaseModel.load(new ModelArtifacts().open(model()), Device.cpu())) {
      p = m.probabilities(both, 4);
    }
    List<Double> aurocs = new ArrayList<>();
    for (int k = 0; k < FusionSpec.CHEST_FINDINGS.size(); k++) {
      double[] scores = new double[both.size()];
      int[] labels = new int[both.size()];
      for (int i = 0; i < both.size(); i++) {
        scores[i] = p[i][k];
        labels[i] = Math.round(both.get(i).labels()[k]);
      }
      int positives = java.util.Arrays.stream(labels).sum();
      if (positives > 0 && positives < labels.length) {
        aurocs.add(Roc.auroc(scores, labels));
      }
    }
    JsonNode set = evaluation.get("sets").get(0);

    assertThat(both.size()).isLessThan(all.size());
    assertThat(aurocs).isNotEmpty();
    assertThat(set.get("cases").asInt()).isEqualTo(both.size());
    assertThat(set.get("includedFindings").size()).isEqualTo(aurocs.size());
    double expected = aurocs.stream().mapToDouble(d -> d).average().orElseThrow();
    assertThat(set.get("macro").get("auroc").asDouble()).isCloseTo(expected, within(1e-12));
  }

  private static List<TrainingCase> encode() {
    List<LabelledStudy> studies =
        new TrainingManifest().read(dir.resolve("set/manifest.json"), FusionSpec.CHEST_FINDINGS);
    try (App app = App.start(AppConfig.defaults());
        TextEncoder text = TextEncoder.open(new PretrainedTextModel().extract(CACHE))) {
      TrainingSetEncoder.Result r =
          new TrainingSetEncoder(app.caseParser(), text, 64, FusionSpec.CHEST_FINDINGS)
              .encode(studies, i -> {});
      assertThat(r.rejected()).isEmpty();
      return r.cases();
    }
  }
}
