package org.tandemcds.evaluate;

import java.util.List;

/**
 * Every metric of one finding in one scored set. Undefined values are NaN: AUROC and the ROC curve
 * (empty) when the labels hold one class, average precision and sensitivity without positives,
 * specificity without negatives. {@code included} says whether the finding counts towards the macro
 * averages (it has both classes).
 */
public record FindingMetrics(
    String finding,
    int positives,
    int negatives,
    boolean included,
    double auroc,
    double averagePrecision,
    ConfusionCounts atThreshold,
    double expectedCalibrationError,
    List<RocPoint> rocCurve,
    List<ReliabilityBin> reliability) {
  public FindingMetrics {
    rocCurve = List.copyOf(rocCurve);
    reliability = List.copyOf(reliability);
  }
}
