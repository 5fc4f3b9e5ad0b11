package org.tandemcds.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic scored sets for tests: labels drawn with a per-finding prevalence, probabilities
 * a noisy logistic function of the label with a set-specific separation, rounded to two decimals so
 * that ties are common.
 */
final class ScoresFixture {
  static final List<String> FINDINGS =
      List.of("cardiomegaly", "pleural_effusion", "pneumothorax", "nodule_mass", "consolidation");
  static final double[] PREVALENCE = {0.30, 0.25, 0.08, 0.15, 0.20};
  static final double[] THRESHOLDS = {0.5, 0.45, 0.3, 0.4, 0.5};

  private ScoresFixture() {}

  /** Labels for {@code n} cases, one row per case. */
  static int[][] labels(int n, long seed) {
    Random random = new Random(seed);
    int[][] labels = new int[n][FINDINGS.size()];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < FINDINGS.size(); k++) {
        labels[i][k] = random.nextDouble() < PREVALENCE[k] ? 1 : 0;
      }
    }
    return labels;
  }

  /** A scored set over the given labels; larger {@code separation} gives a better model. */
  static Scores scores(String name, int[][] labels, double separation, long seed) {
    Random random = new Random(seed);
    List<ScoredCase> cases = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      double[] p = new double[FINDINGS.size()];
      for (int k = 0; k < p.length; k++) {
        double logit = separation * (labels[i][k] - 0.5) - 1.0 + 1.2 * random.nextGaussian();
        p[k] = Math.round(100 / (1 + Math.exp(-logit))) / 100.0;
      }
      cases.add(new ScoredCase(String.format("case-%04d", i), p, labels[i]));
    }
    return new Scores(name, FINDINGS, THRESHOLDS, cases);
  }

  /** Three sets over the same 400 cases, in the order the report shows them. */
  static List<Scores> threeSets() {
    int[][] labels = labels(400, 11);
    return List.of(
        scores("hybrid, both inputs", labels, 3.2, 21),
        scores("hybrid, note removed", labels, 2.2, 22),
        scores("image-only model", labels, 1.8, 23));
  }
}
