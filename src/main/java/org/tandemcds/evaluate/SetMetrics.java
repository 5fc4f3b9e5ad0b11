package org.tandemcds.evaluate;

import java.util.List;

/**
 * The metrics of one scored set. Macro values are plain means over the {@code includedFindings}
 * (those with both classes among the cases); {@code excludedFindings} are listed, never silently
 * dropped. The pooled ECE and reliability bins treat every (case, finding) pair as one prediction.
 */
public record SetMetrics(
    String name,
    int cases,
    List<FindingMetrics> findings,
    List<String> includedFindings,
    List<String> excludedFindings,
    double macroAuroc,
    BootstrapInterval macroAurocInterval,
    double macroAveragePrecision,
    double macroSensitivity,
    double macroSpecificity,
    double macroExpectedCalibrationError,
    double pooledExpectedCalibrationError,
    List<ReliabilityBin> pooledReliability) {
  public SetMetrics {
    findings = List.copyOf(findings);
    includedFindings = List.copyOf(includedFindings);
    excludedFindings = List.copyOf(excludedFindings);
    pooledReliability = List.copyOf(pooledReliability);
  }
}
