package org.tandemcds.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One study of a training set as its manifest lists it.
 *
 * @param id study id (unique in the manifest; not a patient identifier)
 * @param dicom the DICOM file, folder or DICOMDIR, when the study has an image
 * @param bundle the FHIR file with the study's notes, when it has notes
 * @param labels finding name to 0 or 1
 * @param localised whether the study carries lesion localisation (the manifest's {@code findings}
 *     object): then an absent finding has an empty lesion map, and a present one the mask below
 * @param masks finding name to its lesion mask (PNG, white inside, stored-image size), for present
 *     findings whose lesion the image shows; a present finding without one has an unknown map
 * @param negations finding name to the mentions of the study's first note that speak against it
 *     (the manifest's note spans of stance {@code negated}: "no pleural effusion", "afebrile"),
 *     whether the finding is absent or, against them, present; empty when the manifest gives none
 */
public record LabelledStudy(
    String id,
    Optional<Path> dicom,
    Optional<Path> bundle,
    Map<String, Integer> labels,
    boolean localised,
    Map<String, Path> masks,
    Map<String, List<NoteMention>> negations) {
  public LabelledStudy {
    labels = Map.copyOf(labels);
    masks = Map.copyOf(masks);
    negations = Map.copyOf(negations);
  }

  /** A study whose manifest gives no negated mentions. */
  public LabelledStudy(
      String id,
      Optional<Path> dicom,
      Optional<Path> bundle,
      Map<String, Integer> labels,
      boolean localised,
      Map<String, Path> masks) {
    this(id, dicom, bundle, labels, localised, masks, Map.of());
  }

  /** A study without lesion localisation. */
  public LabelledStudy(
      String id, Optional<Path> dicom, Optional<Path> bundle, Map<String, Integer> labels) {
    this(id, dicom, bundle, labels, false, Map.of());
  }
}
