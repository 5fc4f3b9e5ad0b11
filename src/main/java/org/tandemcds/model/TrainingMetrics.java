package org.tandemcds.model;

import java.util.List;

/** Metrics over case outputs (plain Java). Stateless. */
final class TrainingMetrics {
  private TrainingMetrics() {}

  /** Labels per finding: {@code [finding][case]}. */
  static float[][] labels(List<TrainingCase> cases, int findings) {
    float[][] out = new float[findings][cases.size()];
    for (int i = 0; i < cases.size(); i++) {
      for (int k = 0; k < findings; k++) {
        out[k][i] = cases.get(i).labels()[k];
      }
    }
    return out;
  }

  /** Mean AUROC of the fused logits over the findings where it is defined; NaN if none is. */
  static double macroAuroc(CaseModel.Outputs out, float[][] labels) {
    double sum = 0;
    int n = 0;
    for (int k = 0; k < out.f(); k++) {
      double a = Calibration.auroc(toDouble(out.fused(k)), labels[k]);
      if (!Double.isNaN(a)) {
        sum += a;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
