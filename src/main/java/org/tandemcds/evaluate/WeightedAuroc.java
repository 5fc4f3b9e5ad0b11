package org.tandemcds.evaluate;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * AUROC of one finding over a weighted copy of its cases, for the bootstrap: a resample of cases
 * with replacement is the original cases, each weighted by how many times it was drawn. The cases
 * are sorted once; each evaluation is one pass: {@code AUROC = Σ_groups w⁺_g · (W⁻_below + w⁻_g /
 * 2) / (W⁺ · W⁻)}, over groups of tied scores, which is the Mann–Whitney count with ties counting
 * one half. Package-private helper; not thread-safe (none of its state changes, but it is only used
 * by one thread).
 */
final class WeightedAuroc {
  private final int[] order;
  private final int[] labels;
  private final int[] groupEnd;

  WeightedAuroc(double[] scores, int[] labels) {
    this.labels = labels.clone();
    this.order =
        IntStream.range(0, scores.length)
            .boxed()
            .sorted(Comparator.comparingDouble(i -> scores[i]))
            .mapToInt(Integer::intValue)
            .toArray();
    this.groupEnd = groupEnds(scores, order);
  }

  /** AUROC with case {@code i} counted {@code weights[i]} times; NaN when a class has no weight. */
  double of(int[] weights) {
    double negativesBelow = 0;
    double positives = 0;
    double u = 0;
    int start = 0;
    for (int end : groupEnd) {
      double wp = 0;
      double wn = 0;
      for (int k = start; k < end; k++) {
        int c = order[k];
        wp += labels[c] * weights[c];
        wn += (1 - labels[c]) * weights[c];
      }
      u += wp * (negativesBelow + wn / 2);
      negativesBelow += wn;
      positives += wp;
      start = end;
    }
    return positives == 0 || negativesBelow == 0 ? Double.NaN : u / (positives * negativesBelow);
  }

  private static int[] groupEnds(double[] scores, int[] order) {
    return IntStream.rangeClosed(1, order.length)
        .filter(k -> k == order.length || scores[order[k]] != scores[order[k - 1]])
        .toArray();
  }
}
