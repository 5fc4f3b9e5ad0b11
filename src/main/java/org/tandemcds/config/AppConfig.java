package org.tandemcds.config;

import java.util.Map;

/**
 * Everything Tandem is configured with, passed to {@code App.start}. No global configuration: each
 * component gets what it needs through its constructor.
 *
 * @param maxDicomFileBytes largest DICOM file read ({@code DICOM_TOO_LARGE} beyond)
 * @param maxPixels largest Rows × Columns × NumberOfFrames decoded ({@code DICOM_TOO_LARGE} beyond)
 * @param maxNoteBytes largest FHIR note file read ({@code NOTE_TOO_LARGE} beyond)
 * @param issuerSystems DICOM Issuer of Patient ID → FHIR Patient.identifier.system, for pairing
 */
public record AppConfig(
    long maxDicomFileBytes, long maxPixels, long maxNoteBytes, Map<String, String> issuerSystems) {
  public AppConfig {
    issuerSystems = Map.copyOf(issuerSystems);
  }

  /** 1 GiB and 128 M pixels per DICOM object, 20 MB per note file, no issuer map. */
  public static AppConfig defaults() {
    return new AppConfig(1L << 30, 128L << 20, 20_000_000L, Map.of());
  }
}
