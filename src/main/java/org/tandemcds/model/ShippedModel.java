package org.tandemcds.model;

import java.nio.file.Path;

/**
 * Where the model Tandem ships lives: {@code models/tandem-cxr-fusion/} under the working
 * directory, or the folder named by the system property {@value #PROPERTY}. Open it with {@link
 * ModelArtifacts#open(Path)}, then {@link CaseModel#load} or {@link FusionModel#load} / {@link
 * ImageModel#load}.
 */
public final class ShippedModel {
  /** System property that overrides the folder. */
  public static final String PROPERTY = "tandem.model";

  /** Folder of the shipped model inside the repository. */
  public static final Path DEFAULT = Path.of("models", "tandem-cxr-fusion");

  private ShippedModel() {}

  /** The shipped model's folder (not verified; {@link ModelArtifacts#open(Path)} does that). */
  public static Path dir() {
    String override = System.getProperty(PROPERTY);
    return override == null || override.isBlank() ? DEFAULT : Path.of(override);
  }
}
