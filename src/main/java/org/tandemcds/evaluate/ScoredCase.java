package org.tandemcds.evaluate;

import java.util.Objects;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * One labelled case as a model scored it: a probability and a 0/1 label per finding, both in the
 * finding order of the {@link Scores} set that holds the case. The arrays are copied.
 *
 * @throws CdsException {@code INVALID_ARGUMENT} when the arrays differ in length, a probability is
 *     not a finite number in [0, 1], or a label is not 0 or 1
 */
public record ScoredCase(String caseId, double[] probabilities, int[] labels) {
  public ScoredCase {
    Objects.requireNonNull(caseId, "caseId");
    probabilities = probabilities.clone();
    labels = labels.clone();
    if (probabilities.length != labels.length) {
      throw invalid(
          caseId,
          "has " + probabilities.length + " probabilities and " + labels.length + " labels");
    }
    for (double p : probabilities) {
      if (!(p >= 0 && p <= 1)) {
        throw invalid(caseId, "has a probability outside [0, 1]: " + p);
      }
    }
    for (int y : labels) {
      if (y != 0 && y != 1) {
        throw invalid(caseId, "has a label that is not 0 or 1: " + y);
      }
    }
  }

  @Override
  public double[] probabilities() {
    return probabilities.clone();
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }

  double probability(int finding) {
    return probabilities[finding];
  }

  int label(int finding) {
    return labels[finding];
  }

  private static CdsException invalid(String caseId, String reason) {
    return new CdsException(ErrorCode.INVALID_ARGUMENT, "scored case " + caseId + " " + reason);
  }
}
