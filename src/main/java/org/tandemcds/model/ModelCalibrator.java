package org.tandemcds.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tandemcds.domain.Mode;

/**
 * Finishes a trained case model on its validation split: fits one Platt scaling per finding
 * (minimum NLL of {@code sigmoid(logit / T + b)}: a temperature and an intercept), chooses one
 * operating threshold per finding by Youden's J on the calibrated probabilities, measures AUROC of
 * the fused output and of each head, sensitivity and specificity at the threshold, and NLL before
 * and after scaling, and sets the model's card. When the validation split is empty it uses the
 * training split and says so. Stateless.
 */
public final class ModelCalibrator {
  static final String THRESHOLD_RULE =
      "maximum Youden's J (sensitivity + specificity - 1) on the validation split; positive when"
          + " the calibrated probability >= threshold; ties go to the higher threshold";

  /** Calibrates {@code trained.model()} and returns its card. */
  public FusionCard calibrate(
      FusionTrainer.Trained trained,
      TrainingOptions o,
      FusionCard.DataSummary data,
      Map<String, String> textModel) {
    return calibrate(trained, o, data, textModel, null);
  }

  /**
   * As {@link #calibrate(FusionTrainer.Trained, TrainingOptions, FusionCard.DataSummary, Map)};
   * {@code gateFit}, when not null, is what {@link GateFit} did to the gate before (recorded in the
   * card's recipe).
   */
  public FusionCard calibrate(
      FusionTrainer.Trained trained,
      TrainingOptions o,
      FusionCard.DataSummary data,
      Map<String, String> textModel,
      Map<String, Object> gateFit) {
    boolean onValidation = !trained.validation().isEmpty();
    List<TrainingCase> cases = onValidation ? trained.validation() : trained.train();
    CaseModel.Outputs out = trained.model().run(cases, o.batchSize());
    int f = out.f();
    float[][] labels = TrainingMetrics.labels(cases, f);
    List<String> findings = o.fusion().findings();
    List<Double> temperatures = new ArrayList<>();
    List<Double> biases = new ArrayList<>();
    List<Double> thresholds = new ArrayList<>();
    Metrics m = new Metrics(o.fusion().variant());
    for (int k = 0; k < f; k++) {
      Calibration.Scaling scaling = Calibration.fitPlatt(out.fused(k), labels[k]);
      double[] p = probabilities(out.fused(k), scaling);
      double threshold = Calibration.youdenThreshold(p, labels[k]);
      temperatures.add(scaling.temperature());
      biases.add(scaling.bias());
      thresholds.add(threshold);
      m.add(findings.get(k), out, cases, k, labels[k], p, scaling, threshold);
    }
    FusionCard card =
        new FusionCard(
            o.fusion().variant().label(),
            FusionCard.SYNTHETIC_USE,
            trained.model().imageSpec(), // the networks as trained, whatever o says
            trained.model().fusionSpec(),
            temperatures,
            thresholds,
            THRESHOLD_RULE,
            textModel,
            data,
            m.table(),
            recipe(trained, o, onValidation, gateFit),
            biases,
            modes(trained.model(), cases, o));
    trained.model().setCard(card);
    return card;
  }

  /**
   * For a variant that serves both inputs and each alone: calibration and thresholds of the
   * image-only and note-only modes, fitted on the validation cases with the other input removed
   * (the same views as modality dropout and the evaluation's removed-modality sets).
   */
  private static Map<String, FusionCard.ModeCalibration> modes(
      CaseModel model, List<TrainingCase> cases, TrainingOptions o) {
    FusionVariant v = o.fusion().variant();
    Map<String, FusionCard.ModeCalibration> modes = new LinkedHashMap<>();
    if (!v.serves(true, true) || !v.serves(true, false) || !v.serves(false, true)) {
      return modes;
    }
    List<TrainingCase> both = cases.stream().filter(c -> c.hasImage() && c.hasNote()).toList();
    if (both.isEmpty()) {
      return modes;
    }
    modes.put(
        Mode.IMAGE_ONLY.label(),
        mode(model, both.stream().map(TrainingCase::withoutNote).toList(), o));
    modes.put(
        Mode.NOTE_ONLY.label(),
        mode(model, both.stream().map(TrainingCase::withoutImage).toList(), o));
    return modes;
  }

  private static FusionCard.ModeCalibration mode(
      CaseModel model, List<TrainingCase> viewed, TrainingOptions o) {
    CaseModel.Outputs out = model.run(viewed, o.batchSize());
    float[][] labels = TrainingMetrics.labels(viewed, out.f());
    List<Double> temperatures = new ArrayList<>();
    List<Double> biases = new ArrayList<>();
    List<Double> thresholds = new ArrayList<>();
    for (int k = 0; k < out.f(); k++) {
      Calibration.Scaling scaling = Calibration.fitPlatt(out.fused(k), labels[k]);
      temperatures.add(scaling.temperature());
      biases.add(scaling.bias());
      thresholds.add(Calibration.youdenThreshold(probabilities(out.fused(k), scaling), labels[k]));
    }
    return new FusionCard.ModeCalibration(temperatures, biases, thresholds);
  }

  private static double[] probabilities(float[] logits, Calibration.Scaling scaling) {
    double[] p = new double[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = scaling.probability(logits[i]);
    }
    return p;
  }

  private static Map<String, Object> recipe(
      FusionTrainer.Trained trained,
      TrainingOptions o,
      boolean onValidation,
      Map<String, Object> gateFit) {
    Map<String, Object> r = new LinkedHashMap<>();
    if (gateFit != null) {
      r.put("gateFit", gateFit);
    }
    r.put("seed", o.seed());
    r.put("epochsPlanned", o.epochs());
    r.put("epochsRun", trained.epochsRun());
    r.put("bestEpoch", trained.bestEpoch());
    r.put("skippedNonFiniteSteps", trained.skippedSteps());
    r.put("batchSize", o.batchSize());
    r.put("optimizer", "AdamW, cosine schedule to 5 %, gradient clip 5");
    r.put("learningRate", o.learningRate());
    r.put("weightDecay", o.weightDecay());
    r.put("modalityDropout", o.modalityDropout());
    r.put("auxiliaryWeight", o.auxiliaryWeight());
    r.put("augment", o.augment());
    if (trained.imageFrom() == null && o.fusion().variant().usesImage()) {
      r.put("lesionWeight", o.lesionWeight());
      r.put("camWeight", o.camWeight());
      r.put(
          "lesionSupervisedCases",
          o.lesionWeight() > 0
              ? trained.train().stream().filter(c -> c.lesions() != null).count()
              : 0);
    } else if (o.fusion().variant().jointHead()) {
      r.put("camWeight", o.camWeight()); // the joint head's CAM loss (ADR 0023)
    }
    if (o.fusion().variant().usesNote()) {
      r.put("negationWeight", o.negationWeight()); // ADR 0024
      r.put(
          "negationMentionCases",
          o.negationWeight() > 0
              ? trained.train().stream().filter(c -> c.negations().length > 0).count()
              : 0);
    }
    r.put("calibration", "Platt scaling per finding: sigmoid(logit / T + b), fitted on NLL");
    r.put("invertProbability", o.invertProbability());
    r.put("validationFraction", o.validationFraction());
    r.put("calibratedOn", onValidation ? "validation" : "train (validation split empty)");
    if (!trained.frozenExperts().isEmpty()) {
      r.put("frozenExperts", trained.frozenExperts());
    }
    if (trained.imageFrom() != null) {
      r.put("imageNetwork", "frozen, from the model whose card has sha256 " + trained.imageFrom());
    }
    return r;
  }

  /** Validation metrics table: metric → finding (and {@code macro}) → value; NaN left out. */
  private static final class Metrics {
    final Map<String, Map<String, Double>> table = new LinkedHashMap<>();
    final FusionVariant variant;

    Metrics(FusionVariant variant) {
      this.variant = variant;
    }

    void add(
        String finding,
        CaseModel.Outputs out,
        List<TrainingCase> cases,
        int k,
        float[] labels,
        double[] p,
        Calibration.Scaling scaling,
        double threshold) {
      put("auroc", finding, Calibration.auroc(p, labels));
      FusionVariant v = variant;
      put(
          "auroc_image_head",
          finding,
          v.imageHead() ? headAuroc(out, cases, k, 0, labels) : Double.NaN);
      put(
          "auroc_note_head",
          finding,
          v.noteHead() ? headAuroc(out, cases, k, 1, labels) : Double.NaN);
      put("nll_uncalibrated", finding, Calibration.nll(out.fused(k), labels, 1));
      put(
          "nll_calibrated",
          finding,
          Calibration.nll(out.fused(k), labels, 1 / scaling.temperature(), scaling.bias()));
      put("sensitivity", finding, rate(p, labels, threshold, true));
      put("specificity", finding, rate(p, labels, threshold, false));
      put("positives", finding, count(labels));
    }

    private double headAuroc(
        CaseModel.Outputs out, List<TrainingCase> cases, int k, int head, float[] labels) {
      float[] logits = out.head(k, head);
      List<Double> s = new ArrayList<>();
      List<Float> l = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        boolean sees = head == 0 ? cases.get(i).hasImage() : cases.get(i).hasNote();
        if (sees) {
          s.add((double) logits[i]);
          l.add(labels[i]);
        }
      }
      double[] scores = s.stream().mapToDouble(Double::doubleValue).toArray();
      float[] lab = new float[l.size()];
      for (int i = 0; i < lab.length; i++) {
        lab[i] = l.get(i);
      }
      return Calibration.auroc(scores, lab);
    }

    private static double rate(double[] p, float[] labels, double t, boolean positives) {
      int hit = 0;
      int n = 0;
      for (int i = 0; i < p.length; i++) {
        if ((labels[i] > 0.5f) == positives) {
          n++;
          hit += (p[i] >= t) == positives ? 1 : 0;
        }
      }
      return n == 0 ? Double.NaN : (double) hit / n;
    }

    private static double count(float[] labels) {
      double n = 0;
      for (float l : labels) {
        n += l;
      }
      return n;
    }

    void put(String metric, String finding, double value) {
      if (!Double.isNaN(value)) {
        table.computeIfAbsent(metric, x -> new LinkedHashMap<>()).put(finding, value);
      }
    }

    Map<String, Map<String, Double>> table() {
      for (String metric : List.of("auroc", "auroc_image_head", "auroc_note_head")) {
        Map<String, Double> row = table.get(metric);
        if (row != null && !row.isEmpty()) {
          row.put(
              "macro", row.values().stream().mapToDouble(Double::doubleValue).average().orElse(0));
        }
      }
      return table;
    }
  }
}
