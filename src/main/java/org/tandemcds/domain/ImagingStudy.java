package org.tandemcds.domain;

import java.util.List;

/** One DICOM study as read by the parse stage. */
public record ImagingStudy(
    Patient patient,
    String studyInstanceUid,
    String accessionNumber,
    String studyDate,
    String studyDescription,
    List<ImageSeries> series) {
  public ImagingStudy {
    series = List.copyOf(series);
  }

  /** All image instances of the study, series by series. */
  public List<ImageInstance> instances() {
    return series.stream().flatMap(s -> s.instances().stream()).toList();
  }

  /** The first modality found, e.g. {@code CR}. */
  public String modality() {
    return series.isEmpty() ? "" : series.get(0).modality();
  }
}
