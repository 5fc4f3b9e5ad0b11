package org.tandemcds.domain;

/**
 * The fused suggestion for one finding.
 *
 * @param finding the finding's name, e.g. {@code pleural_effusion}
 * @param probability calibrated probability that the finding is present
 * @param threshold the model's operating threshold for this finding
 * @param positive whether {@code probability ≥ threshold}
 * @param gateImage weight of the image-only head in the fused logit (0 when no image was used)
 * @param gateNote weight of the note-only head (0 when no note was used)
 * @param gateJoint weight of the joint (cross-attention) head; the three sum to 1
 */
public record FindingPrediction(
    String finding,
    double probability,
    double threshold,
    boolean positive,
    double gateImage,
    double gateNote,
    double gateJoint) {}
