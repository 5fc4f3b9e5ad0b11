package org.tandemcds.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The deterministic train/validation split of a training set, with each case reduced to the
 * modalities the variant reads (an image-only model never sees notes, a note-only model never sees
 * images) and cases the variant cannot serve left out.
 */
record TrainingSplit(List<TrainingCase> train, List<TrainingCase> validation) {

  /** Shuffles with {@code seed} and holds out {@code round(n · fraction)} cases (≥ 1 if n ≥ 2). */
  static TrainingSplit of(
      List<TrainingCase> cases, FusionVariant variant, double fraction, long seed) {
    List<TrainingCase> usable = new ArrayList<>();
    for (TrainingCase c : cases) {
      TrainingCase reduced = reduce(c, variant);
      if (variant.serves(reduced.hasImage(), reduced.hasNote())) {
        usable.add(reduced);
      }
    }
    Collections.shuffle(usable, new Random(seed));
    int held = (int) Math.round(usable.size() * fraction);
    if (fraction > 0 && held == 0 && usable.size() >= 2) {
      held = 1;
    }
    return new TrainingSplit(
        List.copyOf(usable.subList(held, usable.size())), List.copyOf(usable.subList(0, held)));
  }

  private static TrainingCase reduce(TrainingCase c, FusionVariant variant) {
    TrainingCase out = c;
    if (!variant.usesNote() && out.hasNote()) {
      out = out.withoutNote();
    }
    if (!variant.usesImage() && out.hasImage()) {
      out = out.withoutImage();
    }
    return out;
  }
}
