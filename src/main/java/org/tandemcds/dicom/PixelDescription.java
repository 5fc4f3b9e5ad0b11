package org.tandemcds.dicom;

import java.util.Optional;

/**
 * The Image Pixel, Modality LUT and VOI LUT attributes of one image, as decoded.
 *
 * <p>{@code photometricInterpretation} and {@code samplesPerPixel} describe the object as decoded
 * (after decompression, e.g. {@code RGB} for a YBR JPEG); the stored values handed out in {@link
 * DecodedImage#frames()} are always one sample per pixel: colour images are converted to luminance
 * (see {@link DicomImageReader}).
 */
public record PixelDescription(
    int rows,
    int columns,
    int numberOfFrames,
    int samplesPerPixel,
    int planarConfiguration,
    String photometricInterpretation,
    int bitsAllocated,
    int bitsStored,
    int highBit,
    int pixelRepresentation,
    double rescaleSlope,
    double rescaleIntercept,
    double[] windowCenters,
    double[] windowWidths,
    String voiLutFunction,
    Optional<VoiLut> voiLut) {

  /** True for MONOCHROME1, where the lowest value is displayed white. */
  public boolean inverted() {
    return "MONOCHROME1".equals(photometricInterpretation);
  }

  /** True when the stored values are luminance computed from colour samples. */
  public boolean fromColour() {
    return samplesPerPixel > 1;
  }
}
