package org.tandemcds.model;

import java.util.List;
import java.util.Map;
import org.tandemcds.domain.Mode;

/**
 * What a trained Tandem case model's card says beyond its files: the networks, the calibration, the
 * data it was trained on, how well it did on validation, and what it is for.
 *
 * @param variant the ablation variant ({@code hybrid}, {@code image-only}, ...)
 * @param intendedUse the intended use statement
 * @param image the image network's shape
 * @param fusion the fusion network's shape
 * @param temperatures per finding (in {@code fusion.findings()} order): probability = {@code
 *     sigmoid(logit / T)}
 * @param thresholds per finding: positive when the calibrated probability is at least this
 * @param thresholdRule how the thresholds were chosen
 * @param textModel name and sha256 of the frozen text model whose token features the net reads
 * @param data the training data
 * @param validation validation metrics of the calibrated model (after early stopping)
 * @param training the recipe: seed, epochs run, best epoch, batch size, rates
 * @param biases per finding, the Platt intercept: probability = {@code sigmoid(logit / T + b)};
 *     absent (null) on cards written before intercepts were fitted, meaning 0
 * @param modes calibration and thresholds for a case that has only one input ({@code image-only},
 *     {@code note-only}), fitted on the validation cases with the other input removed; a mode not
 *     listed (and every mode on older cards) uses the fields above
 */
public record FusionCard(
    String variant,
    String intendedUse,
    ImageNetworkSpec image,
    FusionSpec fusion,
    List<Double> temperatures,
    List<Double> thresholds,
    String thresholdRule,
    Map<String, String> textModel,
    DataSummary data,
    Map<String, Map<String, Double>> validation,
    Map<String, Object> training,
    List<Double> biases,
    Map<String, ModeCalibration> modes) {

  /**
   * Calibration of one input mode.
   *
   * @param temperatures per finding
   * @param biases per finding (Platt intercepts)
   * @param thresholds per finding
   */
  public record ModeCalibration(
      List<Double> temperatures, List<Double> biases, List<Double> thresholds) {}

  /** The calibrated probability of finding {@code k} for the fused logit {@code logit}. */
  public double probability(int k, double logit) {
    return scaling(k).probability(logit);
  }

  /** The same for a case analysed in {@code mode}. */
  public double probability(int k, double logit, Mode mode) {
    return scaling(k, mode).probability(logit);
  }

  /** The calibration of finding {@code k} (cases as they come, mostly with both inputs). */
  public Calibration.Scaling scaling(int k) {
    return new Calibration.Scaling(temperatures.get(k), biases == null ? 0 : biases.get(k));
  }

  /** The calibration of finding {@code k} in {@code mode}. */
  public Calibration.Scaling scaling(int k, Mode mode) {
    ModeCalibration m = modes == null ? null : modes.get(mode.label());
    return m == null
        ? scaling(k)
        : new Calibration.Scaling(m.temperatures().get(k), m.biases().get(k));
  }

  /** The operating threshold of finding {@code k} in {@code mode}. */
  public double threshold(int k, Mode mode) {
    ModeCalibration m = modes == null ? null : modes.get(mode.label());
    return m == null ? thresholds.get(k) : m.thresholds().get(k);
  }

  /** The mode of a case with these inputs. */
  public static Mode mode(boolean image, boolean note) {
    return image && note ? Mode.IMAGE_AND_NOTE : image ? Mode.IMAGE_ONLY : Mode.NOTE_ONLY;
  }

  /** The intended use every model Tandem trains on synthetic data states. */
  public static final String SYNTHETIC_USE =
      "demonstration model trained on synthetic studies; not for clinical use";

  /**
   * Counts of the training data.
   *
   * @param cases cases encoded (after rejections)
   * @param train cases in the training split
   * @param validation cases in the validation split
   * @param modes cases per mode ({@code image+note}, {@code image-only}, {@code note-only})
   * @param prevalence share of positive labels per finding, over all cases
   * @param rejected ids of studies that could not be read, with the error code
   */
  public record DataSummary(
      int cases,
      int train,
      int validation,
      Map<String, Integer> modes,
      Map<String, Double> prevalence,
      Map<String, String> rejected) {

    /** Counts and prevalence of {@code cases} as split by {@code trained}. */
    public static DataSummary of(
        List<TrainingCase> cases,
        FusionTrainer.Trained trained,
        List<String> findings,
        Map<String, Integer> modes,
        Map<String, String> rejected) {
      Map<String, Double> prevalence = new java.util.LinkedHashMap<>();
      for (int k = 0; k < findings.size(); k++) {
        int finding = k;
        double positives = cases.stream().mapToDouble(c -> c.labels()[finding]).sum();
        prevalence.put(findings.get(k), cases.isEmpty() ? 0 : positives / cases.size());
      }
      return new DataSummary(
          cases.size(),
          trained.train().size(),
          trained.validation().size(),
          modes,
          prevalence,
          rejected);
    }
  }
}
