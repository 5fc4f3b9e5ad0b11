package org.tandemcds.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric of three scored sets (400 cases, probabilities rounded to 0.01 so ties abound)
 * against scikit-learn 1.2 and numpy, run by {@code
 * src/test/resources/evaluate/reference_metrics.py} under {@code /usr/bin/python3} ({@code ./tandem
 * test} installs Debian's python3-sklearn). The bootstrap intervals are compared on the same
 * resamples (the script re-implements java.util.Random), with each resample's AUROC from sklearn.
 * Tolerance 1e-9 (summation order).
 */
class ScikitLearnReferenceIT {
  private static final double TOLERANCE = 1e-9;
  private static final int RESAMPLES = 200;
  private static final long SEED = 20250101L;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path folder;
  private static List<Scores> sets;
  private static Evaluation evaluation;
  private static JsonNode reference;

  @BeforeAll
  static void compute_both() throws Exception {
    sets = ScoresFixture.threeSets();
    evaluation = new Evaluator(RESAMPLES, SEED).evaluate(sets);
    reference = runReference();
  }

  @Test
  void auroc_average_precision_and_counts_match_scikit_learn_for_every_finding() {
    for (int s = 0; s < sets.size(); s++) {
      for (int k = 0; k < ScoresFixture.FINDINGS.size(); k++) {
        FindingMetrics ours = evaluation.sets().get(s).findings().get(k);
        JsonNode ref = reference.at("/sets/" + s + "/findings/" + k);
        assertThat(ours.auroc()).isCloseTo(ref.get("auroc").asDouble(), within(TOLERANCE));
        assertThat(ours.averagePrecision()).isCloseTo(ref.get("ap").asDouble(), within(TOLERANCE));
        ConfusionCounts c = ours.atThreshold();
        assertThat(
                List.of(
                    c.truePositives(), c.falsePositives(), c.trueNegatives(), c.falseNegatives()))
            .containsExactlyElementsOf(
                JSON.convertValue(
                    ref.get("counts"),
                    JSON.getTypeFactory().constructCollectionType(List.class, Integer.class)));
      }
    }
  }

  @Test
  void roc_curves_match_scikit_learn_roc_curve_without_dropped_points() {
    for (int s = 0; s < sets.size(); s++) {
      for (int k = 0; k < ScoresFixture.FINDINGS.size(); k++) {
        List<RocPoint> ours = evaluation.sets().get(s).findings().get(k).rocCurve();
        JsonNode ref = reference.at("/sets/" + s + "/findings/" + k + "/roc");
        assertThat(ours).hasSize(ref.size() + 1);
        for (int i = 0; i < ref.size(); i++) {
          RocPoint p = ours.get(i + 1);
          assertThat(p.threshold()).isEqualTo(ref.get(i).get(0).asDouble());
          assertThat(p.falsePositiveRate())
              .isCloseTo(ref.get(i).get(1).asDouble(), within(TOLERANCE));
          assertThat(p.truePositiveRate())
              .isCloseTo(ref.get(i).get(2).asDouble(), within(TOLERANCE));
        }
      }
    }
  }

  @Test
  void calibration_errors_per_finding_and_pooled_match_numpy() {
    for (int s = 0; s < sets.size(); s++) {
      SetMetrics ours = evaluation.sets().get(s);
      for (int k = 0; k < ScoresFixture.FINDINGS.size(); k++) {
        assertThat(ours.findings().get(k).expectedCalibrationError())
            .isCloseTo(
                reference.at("/sets/" + s + "/findings/" + k + "/ece").asDouble(),
                within(TOLERANCE));
      }
      assertThat(ours.pooledExpectedCalibrationError())
          .isCloseTo(reference.at("/sets/" + s + "/pooledEce").asDouble(), within(TOLERANCE));
    }
  }

  @Test
  void bootstrap_intervals_match_the_same_resamples_scored_by_scikit_learn() {
    for (int s = 0; s < sets.size(); s++) {
      assertInterval(
          evaluation.sets().get(s).macroAurocInterval(), reference.at("/sets/" + s + "/interval"));
    }
    assertThat(evaluation.comparisons()).hasSize(3);
    for (int c = 0; c < 3; c++) {
      assertInterval(evaluation.comparisons().get(c).interval(), reference.at("/differences/" + c));
    }
  }

  private static void assertInterval(BootstrapInterval ours, JsonNode ref) {
    assertThat(ours.lower()).isCloseTo(ref.get("lower").asDouble(), within(TOLERANCE));
    assertThat(ours.upper()).isCloseTo(ref.get("upper").asDouble(), within(TOLERANCE));
    assertThat(ours.usedResamples()).isEqualTo(ref.get("used").asInt());
  }

  private static JsonNode runReference() throws IOException, InterruptedException {
    requireScikitLearn();
    Path script = folder.resolve("reference_metrics.py");
    try (InputStream in =
        ScikitLearnReferenceIT.class.getResourceAsStream("/evaluate/reference_metrics.py")) {
      Files.copy(in, script);
    }
    Path input = folder.resolve("input.json");
    Path output = folder.resolve("output.json");
    JSON.writeValue(input.toFile(), input());
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3", script.toString(), input.toString(), output.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail("reference_metrics.py failed: " + log);
    }
    return JSON.readTree(output.toFile());
  }

  private static void requireScikitLearn() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", "import sklearn, numpy")
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      fail(
          "/usr/bin/python3 cannot import scikit-learn and numpy; ./tandem test installs them,"
              + " or run: sudo apt-get install -y python3-sklearn python3-numpy\n"
              + log);
    }
  }

  private static ObjectNode input() {
    ObjectNode root = JSON.createObjectNode();
    root.put("bins", Calibration.BINS).put("resamples", RESAMPLES).put("seed", SEED);
    ArrayNode array = root.putArray("sets");
    for (Scores s : sets) {
      ObjectNode set = array.addObject();
      ArrayNode thresholds = set.putArray("thresholds");
      for (double t : s.thresholds()) {
        thresholds.add(t);
      }
      ArrayNode probabilities = set.putArray("probabilities");
      ArrayNode labels = set.putArray("labels");
      for (ScoredCase c : s.cases()) {
        ArrayNode pr = probabilities.addArray();
        ArrayNode lr = labels.addArray();
        for (double v : c.probabilities()) {
          pr.add(v);
        }
        for (int v : c.labels()) {
          lr.add(v);
        }
      }
    }
    return root;
  }
}
