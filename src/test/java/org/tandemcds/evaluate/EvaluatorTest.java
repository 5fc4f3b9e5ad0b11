package org.tandemcds.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class EvaluatorTest {

  @Test
  void a_finding_without_positives_is_excluded_from_macro_means_and_named() {
    List<ScoredCase> cases = new ArrayList<>();
    double[][] p = {{0.9, 0.2}, {0.2, 0.1}, {0.6, 0.3}, {0.4, 0.8}};
    int[][] y = {{1, 0}, {0, 0}, {1, 0}, {0, 0}};
    for (int i = 0; i < p.length; i++) {
      cases.add(new ScoredCase("c" + i, p[i], y[i]));
    }
    Scores s =
        new Scores("s", List.of("cardiomegaly", "pneumothorax"), new double[] {0.5, 0.5}, cases);
    SetMetrics m = new Evaluator(50, 1).evaluate(List.of(s)).sets().get(0);
    assertThat(m.includedFindings()).containsExactly("cardiomegaly");
    assertThat(m.excludedFindings()).containsExactly("pneumothorax");
    assertThat(m.macroAuroc()).isEqualTo(1.0);
    assertThat(m.findings().get(1).auroc()).isNaN();
    assertThat(m.macroSpecificity()).isEqualTo(1.0);
  }

  @Test
  void macro_values_are_means_of_the_per_finding_values() {
    SetMetrics m = new Evaluator(10, 1).evaluate(ScoresFixture.threeSets()).sets().get(1);
    assertThat(m.macroAuroc())
        .isCloseTo(
            m.findings().stream().mapToDouble(FindingMetrics::auroc).average().orElseThrow(),
            within(1e-15));
    assertThat(m.macroAveragePrecision())
        .isCloseTo(
            m.findings().stream()
                .mapToDouble(FindingMetrics::averagePrecision)
                .average()
                .orElseThrow(),
            within(1e-15));
  }

  @Test
  void comparisons_pair_cases_by_id_whatever_their_order() {
    List<Scores> sets = ScoresFixture.threeSets();
    Scores second = sets.get(2);
    List<ScoredCase> reversed = new ArrayList<>(second.cases());
    java.util.Collections.reverse(reversed);
    Scores shuffled = new Scores(second.name(), second.findings(), second.thresholds(), reversed);
    Evaluator evaluator = new Evaluator(100, 3);
    Comparison a = evaluator.evaluate(List.of(sets.get(0), second)).comparisons().get(0);
    Comparison b = evaluator.evaluate(List.of(sets.get(0), shuffled)).comparisons().get(0);
    assertThat(b).isEqualTo(a);
    assertThat(a.difference()).isPositive();
  }

  @Test
  void sets_with_different_labels_or_cases_are_refused() {
    int[][] labels = ScoresFixture.labels(50, 1);
    int[][] other = ScoresFixture.labels(50, 2);
    Scores a = ScoresFixture.scores("a", labels, 2, 1);
    Scores b = ScoresFixture.scores("b", other, 2, 1);
    assertThatThrownBy(() -> new Evaluator(10, 1).evaluate(List.of(a, b)))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThatThrownBy(() -> new Evaluator(10, 1).evaluate(List.of(a, a)))
        .isInstanceOf(CdsException.class)
        .hasMessageContaining("share a name");
  }

  @Test
  void scored_cases_refuse_probabilities_outside_zero_to_one_and_labels_other_than_zero_one() {
    assertThatThrownBy(() -> new ScoredCase("x", new double[] {1.2}, new int[] {1}))
        .isInstanceOf(CdsException.class);
    assertThatThrownBy(() -> new ScoredCase("x", new double[] {Double.NaN}, new int[] {1}))
        .isInstanceOf(CdsException.class);
    assertThatThrownBy(() -> new ScoredCase("x", new double[] {0.2}, new int[] {2}))
        .isInstanceOf(CdsException.class);
  }
}
