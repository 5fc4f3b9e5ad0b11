package org.tandemcds.domain;

import java.util.List;

/**
 * What the fuse stage hands on: one prediction per finding, the mode the model actually used, and
 * what produced it.
 *
 * @param findings one per finding, in the model's order
 * @param mode the inputs the model used (a single-modality model uses one even when both came)
 * @param modelName the model's name as outputs cite it
 * @param modelVersion the model's version
 * @param modelSha256 sha256 of the model's card, which pins every file of the model
 */
public record Prediction(
    List<FindingPrediction> findings,
    Mode mode,
    String modelName,
    String modelVersion,
    String modelSha256) {
  public Prediction {
    findings = List.copyOf(findings);
  }
}
