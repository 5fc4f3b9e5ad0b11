package org.tandemcds.domain;

import java.util.OptionalDouble;

/**
 * How much each modality weighed in one finding: the gate weights, and the ablation deltas (the
 * calibrated probability with both inputs, with the note removed and with the image removed).
 *
 * @param gateImage gate weight of the image-only head
 * @param gateNote gate weight of the note-only head
 * @param gateJoint gate weight of the joint head
 * @param probability the calibrated probability with every input the case had
 * @param withoutNote the probability with the note removed (empty when the case had no image or no
 *     note, or the model cannot run without the note)
 * @param withoutImage the probability with the image removed (empty likewise)
 */
public record ModalityContribution(
    double gateImage,
    double gateNote,
    double gateJoint,
    double probability,
    OptionalDouble withoutNote,
    OptionalDouble withoutImage) {}
