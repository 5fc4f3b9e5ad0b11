package org.tandemcds.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The modality gap the generator promises (docs/sample-studies.md, "Measured modality gap"): an
 * ideal reader of both image and note beats an ideal reader of either alone, with headroom for a
 * learned fusion model (target fused macro AUROC >= 0.95 and >= 0.03 above the better modality).
 */
class OracleEvaluationTest {
  private static OracleEvaluation.Report report;

  @BeforeAll
  static void simulate() {
    report = new OracleEvaluation(2024).evaluate(3000, 3000);
    for (Finding f : Finding.values()) {
      System.out.printf(
          "oracle AUROC %-17s image %.3f note %.3f fused %.3f%n",
          f.key(), report.image().get(f), report.note().get(f), report.fused().get(f));
    }
    System.out.printf(
        "oracle AUROC macro             image %.3f note %.3f fused %.3f%n",
        report.macroImage(), report.macroNote(), report.macroFused());
  }

  @Test
  void fused_ideal_macro_auroc_is_at_least_0_97() {
    assertThat(report.macroFused()).isGreaterThanOrEqualTo(0.97);
  }

  @Test
  void fused_ideal_beats_the_better_single_modality_by_at_least_0_05_macro() {
    double better = Math.max(report.macroImage(), report.macroNote());
    assertThat(report.macroFused() - better).isGreaterThanOrEqualTo(0.05);
  }

  @Test
  void for_every_finding_fused_beats_each_modality_by_at_least_0_03() {
    for (Finding f : Finding.values()) {
      double fused = report.fused().get(f);
      assertThat(fused - report.image().get(f)).as(f.key() + " over image").isGreaterThan(0.03);
      assertThat(fused - report.note().get(f)).as(f.key() + " over note").isGreaterThan(0.03);
    }
  }

  @Test
  void each_modality_alone_is_informative_but_far_from_perfect() {
    for (Finding f : Finding.values()) {
      assertThat(report.image().get(f)).as(f.key() + " image").isBetween(0.75, 0.96);
      assertThat(report.note().get(f)).as(f.key() + " note").isBetween(0.75, 0.96);
    }
  }

  @Test
  void auroc_equals_the_pairwise_count_of_correctly_ordered_pairs() {
    SplittableRandom r = new SplittableRandom(9);
    int n = 300;
    double[] score = new double[n];
    boolean[] label = new boolean[n];
    for (int i = 0; i < n; i++) {
      label[i] = r.nextDouble() < 0.3;
      score[i] = r.nextInt(12) + (label[i] ? 3 : 0); // many ties
    }
    double pairs = 0;
    double good = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (label[i] && !label[j]) {
          pairs++;
          good += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
        }
      }
    }
    assertThat(OracleEvaluation.auroc(score, label)).isCloseTo(good / pairs, within(1e-12));
  }

  @Test
  void naive_bayes_of_an_uninformative_source_returns_the_other_probability() {
    assertThat(OracleEvaluation.naiveBayes(0.2, 0.2, 0.7)).isCloseTo(0.7, within(1e-9));
    assertThat(OracleEvaluation.naiveBayes(0.5, 0.8, 0.8)).isCloseTo(16 / 17.0, within(1e-9));
  }
}
