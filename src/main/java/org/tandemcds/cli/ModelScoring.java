package org.tandemcds.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tandemcds.evaluate.ScoredCase;
import org.tandemcds.evaluate.Scores;
import org.tandemcds.model.CaseModel;
import org.tandemcds.model.FusionCard;
import org.tandemcds.model.FusionVariant;
import org.tandemcds.model.ImageFeatureCache;
import org.tandemcds.model.TrainingCase;

/**
 * Scores one loaded case model on a list of encoded cases: the cases as they are ({@code "<name>,
 * both inputs"}) and, when asked, the same cases with the note removed and with the image removed
 * (the modality dropout views of {@link TrainingCase#withoutNote()} and {@link
 * TrainingCase#withoutImage()}). Not thread-safe (the model is not).
 */
final class ModelScoring {
  private final CaseModel model;
  private final int batchSize;
  private final ImageFeatureCache images;

  ModelScoring(CaseModel model, int batchSize) {
    this(model, batchSize, null);
  }

  /** With {@code images} (of this model's image network) reused across views and models. */
  ModelScoring(CaseModel model, int batchSize, ImageFeatureCache images) {
    this.model = model;
    this.batchSize = batchSize;
    this.images = images;
  }

  /** Whether the model's variant serves an image-only and a note-only case. */
  static boolean servesEachModality(FusionVariant variant) {
    return variant.serves(true, false) && variant.serves(false, true);
  }

  /**
   * The scored sets of this model.
   *
   * @param name the model's name in set names (its variant, or more when variants repeat)
   * @param bothSuffix what follows {@code ", both inputs"} in the first set's name
   * @param cases the cases, all served by the model as they are
   * @param removals whether to add the note-removed and image-removed sets (every case must then
   *     have both inputs)
   */
  List<Scores> score(String name, String bothSuffix, List<TrainingCase> cases, boolean removals) {
    List<Scores> sets = new ArrayList<>();
    sets.add(scores(name + ", both inputs" + bothSuffix, cases, UnaryOperator.identity()));
    if (removals) {
      sets.add(scores(name + ", note removed", cases, TrainingCase::withoutNote));
      sets.add(scores(name + ", image removed", cases, TrainingCase::withoutImage));
    }
    return sets;
  }

  private Scores scores(String name, List<TrainingCase> cases, UnaryOperator<TrainingCase> view) {
    List<TrainingCase> viewed = cases.stream().map(view).toList();
    double[][] p = model.probabilities(viewed, batchSize, images);
    List<ScoredCase> scored = new ArrayList<>();
    for (int i = 0; i < viewed.size(); i++) {
      scored.add(new ScoredCase(viewed.get(i).id(), p[i], labels(viewed.get(i))));
    }
    FusionCard card = model.card();
    double[] thresholds = new double[card.thresholds().size()];
    for (int k = 0; k < thresholds.length; k++) {
      thresholds[k] =
          viewed.isEmpty()
              ? card.thresholds().get(k)
              : card.threshold(
                  k, FusionCard.mode(viewed.get(0).hasImage(), viewed.get(0).hasNote()));
    }
    return new Scores(name, card.fusion().findings(), thresholds, scored);
  }

  /** The 0/1 labels of a case as integers. */
  static int[] labels(TrainingCase c) {
    int[] out = new int[c.labels().length];
    for (int k = 0; k < out.length; k++) {
      out[k] = Math.round(c.labels()[k]);
    }
    return out;
  }
}
