package org.tandemcds.samples;

/**
 * How the radiograph was acquired and encoded.
 *
 * @param modality {@code CR} or {@code DX}
 * @param sopClassUid CR Image Storage, or DX Image Storage For Presentation / For Processing
 * @param presentationIntent {@code FOR PRESENTATION} or {@code FOR PROCESSING} (DX only, else
 *     empty)
 * @param viewPosition {@code PA} or {@code AP}
 * @param photometricInterpretation {@code MONOCHROME1} or {@code MONOCHROME2}
 * @param transferSyntaxUid the transfer syntax the file is written in
 * @param pixelSpacingMm the imager pixel spacing, row = column
 */
public record Acquisition(
    String modality,
    String sopClassUid,
    String presentationIntent,
    String viewPosition,
    String photometricInterpretation,
    int bitsStored,
    int rows,
    int columns,
    double pixelSpacingMm,
    String transferSyntaxUid,
    String manufacturer,
    String modelName,
    double kvp,
    double exposureMas,
    double noiseLevel,
    double contrast,
    double rotationDegrees,
    double shiftX,
    double shiftY,
    double fill,
    double inspiration) {}
