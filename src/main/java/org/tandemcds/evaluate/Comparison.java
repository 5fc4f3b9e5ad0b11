package org.tandemcds.evaluate;

import java.util.List;

/**
 * {@code macroAUROC(first) − macroAUROC(second)} over the findings included in both sets, with a
 * paired bootstrap interval (both sets hold the same cases with the same labels). A difference
 * whose interval lies wholly above a margin {@code m} supports "first ≥ second + m".
 */
public record Comparison(
    String first,
    String second,
    List<String> findings,
    double difference,
    BootstrapInterval interval) {
  public Comparison {
    findings = List.copyOf(findings);
  }
}
