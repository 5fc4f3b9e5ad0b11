package org.tandemcds.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One study of a training set as its manifest lists it.
 *
 * @param id study id (unique in the manifest; not a patient identifier)
 * @param dicom the DICOM file, folder or DICOMDIR, when the study has an image
 * @param bundle the FHIR file with the study's notes, when it has notes
 * @param labels finding name to 0 or 1
 */
public record LabelledStudy(
    String id, Optional<Path> dicom, Optional<Path> bundle, Map<String, Integer> labels) {
  public LabelledStudy {
    labels = Map.copyOf(labels);
  }
}
