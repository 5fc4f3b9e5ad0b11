package org.tandemcds.dicom;

/**
 * Size limits applied to every DICOM file before any value is allocated.
 *
 * @param maxFileBytes largest file accepted (bytes); larger files fail with {@code DICOM_TOO_LARGE}
 * @param maxPixels largest Rows × Columns × NumberOfFrames accepted; larger images fail with {@code
 *     DICOM_TOO_LARGE}
 */
public record DicomLimits(long maxFileBytes, long maxPixels) {
  public DicomLimits {
    if (maxFileBytes <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** 1 GiB per file and 128 M pixels (e.g. 500 CT slices of 512 × 512). */
  public static DicomLimits defaults() {
    return new DicomLimits(1L << 30, 128L << 20);
  }
}
