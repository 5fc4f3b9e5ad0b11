package org.tandemcds.domain;

import java.util.List;

/**
 * One decoded image instance (one DICOM SOP instance) with its frames normalised for a model.
 *
 * @param source file the instance was read from (for error messages and provenance)
 * @param pixelSpacingMm row and column spacing in mm ({@code [0, 0]} when the object gives none)
 */
public record ImageInstance(
    String sopInstanceUid,
    String sopClassUid,
    String seriesInstanceUid,
    int instanceNumber,
    String modality,
    String viewPosition,
    String bodyPartExamined,
    String photometricInterpretation,
    int bitsStored,
    boolean signed,
    String transferSyntaxUid,
    double[] pixelSpacingMm,
    List<Frame> frames,
    String source) {

  public ImageInstance {
    frames = List.copyOf(frames);
  }
}
