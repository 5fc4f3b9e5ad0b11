package org.tandemcds.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  @Test
  void quantiles_interpolate_linearly_between_order_statistics() {
    // numpy.percentile([1, 2, 3, 4, 10], [2.5, 97.5]) = [1.1, 9.4]
    double[] sorted = {1, 2, 3, 4, 10};
    assertThat(Bootstrap.quantile(sorted, 0.025)).isCloseTo(1.1, within(1e-12));
    assertThat(Bootstrap.quantile(sorted, 0.975)).isCloseTo(9.4, within(1e-12));
    assertThat(Bootstrap.quantile(new double[] {7}, 0.5)).isEqualTo(7.0);
  }

  @Test
  void weighted_auroc_equals_auroc_of_the_cases_repeated_by_their_weights() {
    Scores s = ScoresFixture.threeSets().get(1);
    Random random = new Random(5);
    for (int k = 0; k < s.findings().size(); k++) {
      double[] p = s.probabilities(k);
      int[] y = s.labels(k);
      int[] weights = random.ints(p.length, 0, 4).toArray();
      List<Double> repeatedP = new ArrayList<>();
      List<Integer> repeatedY = new ArrayList<>();
      for (int i = 0; i < p.length; i++) {
        for (int w = 0; w < weights[i]; w++) {
          repeatedP.add(p[i]);
          repeatedY.add(y[i]);
        }
      }
      double expected =
          Roc.auroc(
              repeatedP.stream().mapToDouble(Double::doubleValue).toArray(),
              repeatedY.stream().mapToInt(Integer::intValue).toArray());
      assertThat(new WeightedAuroc(p, y).of(weights)).isCloseTo(expected, within(1e-12));
    }
  }

  @Test
  void same_seed_gives_the_same_interval_and_another_seed_a_different_one() {
    Scores s = ScoresFixture.threeSets().get(0);
    int[] all = {0, 1, 2, 3, 4};
    BootstrapInterval a = new Bootstrap(200, 3).macroAuroc(s, all);
    assertThat(new Bootstrap(200, 3).macroAuroc(s, all)).isEqualTo(a);
    assertThat(new Bootstrap(200, 4).macroAuroc(s, all).lower()).isNotEqualTo(a.lower());
  }

  @Test
  void interval_brackets_the_point_estimate_and_narrows_with_more_cases() {
    int[] all = {0, 1, 2, 3, 4};
    Scores small = ScoresFixture.scores("small", ScoresFixture.labels(200, 1), 2.0, 2);
    Scores large = ScoresFixture.scores("large", ScoresFixture.labels(1600, 1), 2.0, 2);
    double estimate = new Evaluator(1, 0).evaluate(List.of(small)).sets().get(0).macroAuroc();
    BootstrapInterval i = new Bootstrap(500, 9).macroAuroc(small, all);
    BootstrapInterval j = new Bootstrap(500, 9).macroAuroc(large, all);
    assertThat(estimate).isBetween(i.lower(), i.upper());
    assertThat(j.upper() - j.lower()).isLessThan((i.upper() - i.lower()) * 0.7);
    assertThat(i.usedResamples()).isEqualTo(500);
  }

  @Test
  void a_set_compared_with_itself_differs_by_exactly_zero_in_every_resample() {
    Scores s = ScoresFixture.threeSets().get(0);
    BootstrapInterval d = new Bootstrap(100, 1).macroAurocDifference(s, s, new int[] {0, 1, 2});
    assertThat(d.lower()).isZero();
    assertThat(d.upper()).isZero();
  }

  @Test
  void resamples_where_a_finding_has_one_class_are_discarded_and_counted() {
    // 1 positive among 12 cases: about (11/12)^12 = 35 % of resamples miss it
    double[][] p = new double[12][1];
    int[][] y = new int[12][1];
    List<ScoredCase> cases = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      p[i][0] = i / 12.0;
      y[i][0] = i == 11 ? 1 : 0;
      cases.add(new ScoredCase("c" + i, p[i], y[i]));
    }
    Scores s = new Scores("rare", List.of("pneumothorax"), new double[] {0.5}, cases);
    BootstrapInterval i = new Bootstrap(1000, 2).macroAuroc(s, new int[] {0});
    assertThat(i.usedResamples()).isBetween(580, 720);
    assertThat(i.upper()).isEqualTo(1.0);
  }
}
