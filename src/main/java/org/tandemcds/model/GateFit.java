package org.tandemcds.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a gated variant's gate for cases with both inputs on held-back cases (the validation split),
 * per finding, instead of keeping the gate gradient descent learned on the training split: every
 * mix of the three head logits on a simplex grid of step 1/20 (231 mixes) is scored by the AUROC of
 * the mixed logit on the validation cases that have both inputs; among the mixes within {@link
 * #TOLERANCE} of the best, the one with the largest joint-head weight (then image-head weight) is
 * kept, so a finding mixes the single-modality experts into the joint head only where that ranks
 * the validation cases measurably better. Single-input cases keep their one head (weight 1). Why:
 * {@code docs/decisions/0020-gate-fitted-on-validation.md}. Stateless.
 */
public final class GateFit {
  /** Grid steps per unit: weights are multiples of 1/20. */
  static final int STEPS = 20;

  /** AUROC within this of the best counts as a tie (decided towards the joint head): exact ties. */
  static final double TOLERANCE = 1e-9;

  /** The rule, as the model card states it. */
  static final String RULE =
      "per finding, the mix of the image, note and joint head logits (simplex grid, step 0.05)"
          + " with the highest AUROC on the validation cases with both inputs; exact ties are"
          + " decided by the larger joint weight, then image weight";

  /**
   * Fits and sets the gate of {@code model} on {@code validation}; returns what the card records
   * (rule, weights per finding, validation AUROC of the mix and of the joint head alone).
   */
  public Map<String, Object> fit(CaseModel model, List<TrainingCase> validation, int batchSize) {
    List<TrainingCase> both = validation.stream().filter(c -> c.hasImage() && c.hasNote()).toList();
    CaseModel.Outputs out = model.run(both, batchSize);
    float[][] labels = TrainingMetrics.labels(both, out.f());
    double[][] weights = new double[out.f()][];
    List<Object> chosen = new ArrayList<>();
    for (int k = 0; k < out.f(); k++) {
      double[][] heads = {
        TrainingMetrics.toDouble(out.head(k, 0)),
        TrainingMetrics.toDouble(out.head(k, 1)),
        TrainingMetrics.toDouble(out.head(k, 2))
      };
      weights[k] = choose(heads, labels[k]);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("finding", model.fusionSpec().findings().get(k));
      row.put("weights", List.of(weights[k][0], weights[k][1], weights[k][2]));
      row.put("validationAuroc", orNull(Calibration.auroc(mix(heads, weights[k]), labels[k])));
      row.put("validationAurocJointAlone", orNull(Calibration.auroc(heads[2], labels[k])));
      chosen.add(row);
    }
    model.network().fusion().setGateForBothInputs(weights);
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("rule", RULE);
    card.put("cases", both.size());
    card.put("findings", chosen);
    return card;
  }

  /** The chosen mix of three heads' logits (rows: image, note, joint) for one finding. */
  static double[] choose(double[][] heads, float[] labels) {
    List<double[]> grid = new ArrayList<>();
    List<Double> aurocs = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i <= STEPS; i++) {
      for (int j = 0; i + j <= STEPS; j++) {
        double[] w = {(double) i / STEPS, (double) j / STEPS, (double) (STEPS - i - j) / STEPS};
        double a = Calibration.auroc(mix(heads, w), labels);
        grid.add(w);
        aurocs.add(a);
        best = Double.isNaN(a) ? best : Math.max(best, a);
      }
    }
    double[] pick = {0, 0, 1};
    if (best == Double.NEGATIVE_INFINITY) {
      return pick; // one class only: nothing to rank, the joint head alone
    }
    boolean first = true;
    for (int g = 0; g < grid.size(); g++) {
      double[] w = grid.get(g);
      if (aurocs.get(g) >= best - TOLERANCE
          && (first || w[2] > pick[2] || (w[2] == pick[2] && w[0] > pick[0]))) {
        pick = w;
        first = false;
      }
    }
    return pick;
  }

  /** JSON has no NaN: an AUROC that cannot be computed (one class only) is written as null. */
  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static double[] mix(double[][] heads, double[] w) {
    double[] out = new double[heads[0].length];
    for (int i = 0; i < out.length; i++) {
      out[i] = w[0] * heads[0][i] + w[1] * heads[1][i] + w[2] * heads[2][i];
    }
    return out;
  }
}
