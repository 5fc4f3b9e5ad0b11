package org.tandemcds.samples;

import java.util.Map;

/**
 * A library-free description of one single-frame grayscale DICOM image to write.
 *
 * @param pixels {@code rows × columns} unsigned values (16 bits allocated), row-major
 * @param attributes further attributes by DICOM keyword (e.g. {@code PatientID}); multiple values
 *     are joined with a backslash; an attribute inside a one-item sequence is keyed {@code
 *     SequenceKeyword/Keyword} (e.g. {@code AnatomicRegionSequence/CodeValue})
 */
public record DicomImageSpec(
    String sopClassUid,
    String sopInstanceUid,
    String transferSyntaxUid,
    int rows,
    int columns,
    int bitsStored,
    String photometricInterpretation,
    short[] pixels,
    Map<String, String> attributes) {
  public DicomImageSpec {
    attributes = Map.copyOf(attributes);
    if (pixels.length != rows * columns) {
      throw new IllegalArgumentException(pixels.length + " pixels for " + rows + "x" + columns);
    }
  }
}
