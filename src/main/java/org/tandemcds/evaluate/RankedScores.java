package org.tandemcds.evaluate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Scores of one finding sorted from highest to lowest, grouped into runs of tied scores: the
 * distinct thresholds that ROC and precision–recall curves step through. Package-private helper.
 */
final class RankedScores {
  private final double[] sorted;
  private final int[] sortedLabels;
  private final int positives;

  RankedScores(double[] scores, int[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException("scores and labels differ in length");
    }
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    sorted = Arrays.stream(order).mapToDouble(i -> scores[i]).toArray();
    sortedLabels = Arrays.stream(order).mapToInt(i -> labels[i]).toArray();
    positives = Arrays.stream(labels).sum();
  }

  int size() {
    return sorted.length;
  }

  int positives() {
    return positives;
  }

  int negatives() {
    return sorted.length - positives;
  }

  boolean hasBothClasses() {
    return positives > 0 && negatives() > 0;
  }

  /**
   * Calls {@code step} once per distinct score, from the highest, with the score and the cumulative
   * true and false positive counts of calling every case with a score at least that high positive.
   */
  void forEachThreshold(ThresholdStep step) {
    int tp = 0;
    int fp = 0;
    for (int i = 0; i < sorted.length; i++) {
      tp += sortedLabels[i];
      fp += 1 - sortedLabels[i];
      if (i == sorted.length - 1 || sorted[i + 1] != sorted[i]) {
        step.accept(sorted[i], tp, fp);
      }
    }
  }

  /**
   * The sum of the ranks (1 = lowest score) of the positive cases, tied scores sharing the mean of
   * the ranks they span (midranks).
   */
  double positiveRankSum() {
    double sum = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      int tiedPositives = 0;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        tiedPositives += sortedLabels[j++];
      }
      double meanRankAscending = sorted.length - (i + j - 1) / 2.0;
      sum += tiedPositives * meanRankAscending;
      i = j;
    }
    return sum;
  }

  @FunctionalInterface
  interface ThresholdStep {
    void accept(double threshold, int truePositives, int falsePositives);
  }
}
