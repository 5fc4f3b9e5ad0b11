package org.tandemcds.review;

import java.util.List;

/**
 * What cards and the worklist show of one finding of a suggestion.
 *
 * @param finding the finding's name, e.g. {@code pneumothorax}
 * @param probability calibrated probability
 * @param threshold the model's operating threshold
 * @param positive whether the probability reaches the threshold
 * @param gateImage weight of the image-only head
 * @param gateNote weight of the note-only head
 * @param gateJoint weight of the joint head
 * @param evidence the top note evidence, strongest first (at most three quotes)
 */
public record FindingSummary(
    String finding,
    double probability,
    double threshold,
    boolean positive,
    double gateImage,
    double gateNote,
    double gateJoint,
    List<String> evidence) {
  public FindingSummary {
    evidence = List.copyOf(evidence);
  }
}
