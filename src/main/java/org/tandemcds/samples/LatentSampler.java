package org.tandemcds.samples;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws the latent truth of a study: patient, disease states, findings, how plainly each finding
 * shows on the image and in the note, lesion geometry and acquisition. docs/sample-studies.md
 * states every probability used here. Stateless apart from its options; thread-safe.
 */
public final class LatentSampler {
  static final String CR = "1.2.840.10008.5.1.4.1.1.1";
  static final String DX_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1";
  static final String DX_PROCESSING = "1.2.840.10008.5.1.4.1.1.1.1.1";

  /** P(visible), P(subtle), P(occult) on the image for a present finding, in Finding order. */
  private static final double[][] IMAGE_LEVELS = {
    {0.60, 0.28, 0.12},
    {0.58, 0.27, 0.15},
    {0.55, 0.30, 0.15},
    {0.55, 0.30, 0.15},
    {0.58, 0.27, 0.15}
  };

  /** P(strong), P(weak), P(none) in the note for a present finding, by its image level. */
  private static final double[][] NOTE_LEVELS = {
    {0.40, 0.32, 0.28}, {0.55, 0.28, 0.17}, {0.70, 0.22, 0.08}
  };

  private final SampleOptions options;
  private final PatientFactory patients = new PatientFactory();

  public LatentSampler(SampleOptions options) {
    this.options = options;
  }

  /** The latent case of study {@code index}. */
  public LatentCase sample(int index) {
    Rng rng = new Rng(options.seed(), index, "latent");
    StudyMode mode = StudyMode.values()[rng.weighted(options.modeWeights())];
    SamplePatient patient = patients.create(rng, options.site());
    Set<Condition> conditions = conditions(rng, patient);
    Map<Finding, Boolean> labels = findings(rng, conditions);
    Map<Finding, ImageEvidence> image = new EnumMap<>(Finding.class);
    Map<Finding, NoteEvidence> note = new EnumMap<>(Finding.class);
    for (Finding f : Finding.values()) {
      drawEvidence(rng, f, labels.get(f), mode, image, note);
    }
    Lesions lesions = lesions(rng, labels, image);
    Acquisition acquisition = new AcquisitionSampler(options).sample(rng, patient);
    return new LatentCase(
        options.seed(),
        index,
        mode,
        patient,
        conditions,
        labels,
        image,
        note,
        lesions,
        acquisition);
  }

  private static Set<Condition> conditions(Rng rng, SamplePatient p) {
    Set<Condition> c = EnumSet.noneOf(Condition.class);
    boolean smoker = !p.smoking().equals("never");
    if (rng.chance(0.08 + (p.age() > 65 ? 0.16 : 0.0))) {
      c.add(Condition.HEART_FAILURE);
    }
    if (rng.chance(0.03 + (smoker ? 0.10 : 0.0) + (p.age() > 60 ? 0.04 : 0.0))) {
      c.add(Condition.LUNG_MALIGNANCY);
    }
    if (rng.chance(0.17)) {
      c.add(Condition.PNEUMONIA);
    }
    if (rng.chance(0.09)) {
      c.add(Condition.PLEURAL_AIR_LEAK);
    }
    return c;
  }

  private static Map<Finding, Boolean> findings(Rng rng, Set<Condition> c) {
    Map<Finding, Boolean> y = new EnumMap<>(Finding.class);
    boolean hf = c.contains(Condition.HEART_FAILURE);
    boolean ca = c.contains(Condition.LUNG_MALIGNANCY);
    boolean pn = c.contains(Condition.PNEUMONIA);
    y.put(Finding.CARDIOMEGALY, rng.chance(hf ? 0.85 : 0.04));
    double noEffusion = (hf ? 0.55 : 1) * (ca ? 0.65 : 1) * (pn ? 0.78 : 1) * 0.98;
    y.put(Finding.PLEURAL_EFFUSION, rng.chance(1 - noEffusion));
    y.put(Finding.PNEUMOTHORAX, rng.chance(c.contains(Condition.PLEURAL_AIR_LEAK) ? 0.92 : 0.004));
    y.put(Finding.NODULE_MASS, rng.chance(ca ? 0.92 : 0.05));
    y.put(Finding.CONSOLIDATION, rng.chance(pn ? 0.90 : 0.025));
    return y;
  }

  private static void drawEvidence(
      Rng rng,
      Finding f,
      boolean present,
      StudyMode mode,
      Map<Finding, ImageEvidence> image,
      Map<Finding, NoteEvidence> note) {
    int level = rng.weighted(IMAGE_LEVELS[f.ordinal()]);
    int noteLevel = rng.weighted(NOTE_LEVELS[level]);
    ImageEvidence i = present ? ImageEvidence.values()[level] : ImageEvidence.NONE;
    NoteEvidence n = present ? NoteEvidence.values()[noteLevel] : NoteEvidence.NONE;
    image.put(f, mode.hasImage() ? i : ImageEvidence.NOT_ACQUIRED);
    note.put(f, mode.hasNote() ? n : NoteEvidence.NOT_WRITTEN);
  }

  private static Lesions lesions(
      Rng rng, Map<Finding, Boolean> y, Map<Finding, ImageEvidence> image) {
    double ctr =
        y.get(Finding.CARDIOMEGALY)
            ? cardiomegalyCtr(rng, image.get(Finding.CARDIOMEGALY))
            : Math.min(0.495, 0.43 + 0.035 * rng.gaussian());
    List<Lesions.Effusion> effusions = new ArrayList<>();
    if (y.get(Finding.PLEURAL_EFFUSION)) {
      effusions.addAll(effusions(rng, image.get(Finding.PLEURAL_EFFUSION)));
    }
    List<Lesions.Pneumothorax> ptx = new ArrayList<>();
    if (y.get(Finding.PNEUMOTHORAX)) {
      ptx.add(
          new Lesions.Pneumothorax(
              rng.pick(Side.values()),
              scaled(rng, image.get(Finding.PNEUMOTHORAX), 0.12, 0.32, 0.045, 0.09, 0.012, 0.025)));
    }
    List<Lesions.Opacity> opacities = new ArrayList<>();
    for (Finding f : List.of(Finding.NODULE_MASS, Finding.CONSOLIDATION)) {
      if (y.get(f)) {
        opacities.add(OpacityPlanner.plan(rng, f, image.get(f)));
      }
    }
    return new Lesions(ctr, effusions, ptx, opacities);
  }

  private static double cardiomegalyCtr(Rng rng, ImageEvidence e) {
    return scaled(rng, e, 0.56, 0.68, 0.515, 0.55, 0.501, 0.51);
  }

  private static List<Lesions.Effusion> effusions(Rng rng, ImageEvidence e) {
    List<Lesions.Effusion> list = new ArrayList<>();
    Side side = rng.pick(Side.values());
    list.add(new Lesions.Effusion(side, scaled(rng, e, 0.16, 0.55, 0.06, 0.11, 0.012, 0.03)));
    if (e == ImageEvidence.VISIBLE && rng.chance(0.25)) {
      Side other = side == Side.LEFT ? Side.RIGHT : Side.LEFT;
      list.add(new Lesions.Effusion(other, rng.uniform(0.06, 0.25)));
    }
    return list;
  }

  /** A size drawn from the visible, subtle or occult range, by evidence level. */
  static double scaled(Rng rng, ImageEvidence e, double... ranges) {
    int i =
        switch (e) {
          case VISIBLE, NOT_ACQUIRED -> 0;
          case SUBTLE -> 2;
          default -> 4;
        };
    return rng.uniform(ranges[i], ranges[i + 1]);
  }
}
