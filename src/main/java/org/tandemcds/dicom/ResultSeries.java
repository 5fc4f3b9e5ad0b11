package org.tandemcds.dicom;

import java.time.ZonedDateTime;

/**
 * A new series of result objects in the analysed study.
 *
 * @param seriesInstanceUid the new series' UID
 * @param seriesNumber its number (Tandem uses 9000 and up, away from acquisition series)
 * @param description its description: an AI suggestion, not for diagnosis
 * @param created when the results were made (Series, Content and Contribution date/time)
 */
public record ResultSeries(
    String seriesInstanceUid, int seriesNumber, String description, ZonedDateTime created) {
  public static final String SECONDARY_CAPTURE_DESCRIPTION =
      "AI suggestion - saliency overlay - not for diagnosis";
  public static final String STRUCTURED_REPORT_DESCRIPTION =
      "AI suggestion - findings report - not for diagnosis";

  /** The series for the saliency overlays (Secondary Capture), with a new UID. */
  public static ResultSeries overlays(ZonedDateTime created) {
    return new ResultSeries(Uids.random(), 9001, SECONDARY_CAPTURE_DESCRIPTION, created);
  }

  /** The series for the findings report (Comprehensive SR), with a new UID. */
  public static ResultSeries report(ZonedDateTime created) {
    return new ResultSeries(Uids.random(), 9002, STRUCTURED_REPORT_DESCRIPTION, created);
  }
}
