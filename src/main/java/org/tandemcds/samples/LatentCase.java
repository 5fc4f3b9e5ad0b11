package org.tandemcds.samples;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The latent truth of one study, from which the image, the note and the manifest are drawn.
 *
 * @param index the study's index in the set (with the seed, it determines everything)
 */
public record LatentCase(
    long seed,
    int index,
    StudyMode mode,
    SamplePatient patient,
    Set<Condition> conditions,
    Map<Finding, Boolean> labels,
    Map<Finding, ImageEvidence> imageEvidence,
    Map<Finding, NoteEvidence> noteEvidence,
    Lesions lesions,
    Acquisition acquisition) {

  public LatentCase {
    labels = Map.copyOf(labels);
    imageEvidence = Map.copyOf(imageEvidence);
    noteEvidence = Map.copyOf(noteEvidence);
    conditions = Set.copyOf(conditions);
  }

  public boolean has(Finding f) {
    return labels.get(f);
  }

  public boolean has(Condition c) {
    return conditions.contains(c);
  }

  /** The cardiothoracic ratio of a heart rendered without cardiomegaly. */
  static final double NORMAL_CTR = 0.45;

  /**
   * The same case with every finding removed from the image (anatomy and noise unchanged): no
   * lesion, and a heart of normal size (cardiothoracic ratio 0.45) only where it was enlarged.
   */
  public LatentCase withoutFindings() {
    Map<Finding, Boolean> none = new EnumMap<>(Finding.class);
    for (Finding f : Finding.values()) {
      none.put(f, false);
    }
    Lesions clear =
        new Lesions(
            has(Finding.CARDIOMEGALY) ? NORMAL_CTR : lesions.trueCtr(),
            java.util.List.of(),
            java.util.List.of(),
            java.util.List.of());
    return new LatentCase(
        seed,
        index,
        mode,
        patient,
        conditions,
        none,
        imageEvidence,
        noteEvidence,
        clear,
        acquisition);
  }
}
