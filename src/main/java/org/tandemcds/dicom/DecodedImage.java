package org.tandemcds.dicom;

import java.util.List;

/**
 * One DICOM image instance as read from a file, free of any toolkit type: identifying attributes as
 * the file gives them (empty strings when absent) and the stored pixel values.
 *
 * <p>{@code frames} holds one array per frame, {@code rows × columns} stored values in row-major
 * order, one sample per pixel, as the 8 or 16 bits allocated (no masking, no sign extension, no
 * rescale: that is the normaliser's job, driven by {@link #pixels()}). Colour images hold their
 * luminance (see {@link DicomImageReader}).
 *
 * @param issuerOfPatientId IssuerOfPatientID; when IssuerOfPatientIDQualifiersSequence names a
 *     Universal Entity ID, the HL7 v2 HD {@code namespace&universalId&type} (e.g. {@code
 *     HOSP&2.16.840.1.113883.3.1&ISO})
 * @param pixelSpacing PixelSpacing, or ImagerPixelSpacing when PixelSpacing is absent, as given
 *     ({@code "0.143\0.143"}); empty when neither is present
 * @param source the file read, for messages and provenance
 */
public record DecodedImage(
    String patientId,
    String issuerOfPatientId,
    String patientName,
    String patientBirthDate,
    String patientSex,
    String studyInstanceUid,
    String accessionNumber,
    String studyDate,
    String studyDescription,
    String seriesInstanceUid,
    String seriesNumber,
    String seriesDescription,
    String sopInstanceUid,
    String sopClassUid,
    String instanceNumber,
    String modality,
    String viewPosition,
    String bodyPartExamined,
    String pixelSpacing,
    String transferSyntaxUid,
    PixelDescription pixels,
    List<short[]> frames,
    String source) {

  public DecodedImage {
    frames = List.copyOf(frames);
  }
}
