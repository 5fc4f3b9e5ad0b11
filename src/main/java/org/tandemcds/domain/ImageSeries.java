package org.tandemcds.domain;

import java.util.List;

/** The image instances of one series, ordered by InstanceNumber then SOPInstanceUID. */
public record ImageSeries(
    String seriesInstanceUid,
    int seriesNumber,
    String modality,
    String seriesDescription,
    List<ImageInstance> instances) {
  public ImageSeries {
    instances = List.copyOf(instances);
  }
}
