package org.tandemcds.model;

import java.util.List;

/**
 * What {@code model-card.json} in a model directory says: the model's name and version and every
 * file of the model with its sha256. Nothing in the directory is used unless the card lists it.
 *
 * @param name model name as outputs cite it, e.g. {@code tandem-cxr-image}
 * @param version model version as outputs cite it
 * @param files every file of the model, relative to the model directory
 * @param fusion for a trained case model: its networks, calibration, data and metrics (null for
 *     other models)
 */
public record ModelCard(String name, String version, List<ModelFile> files, FusionCard fusion) {
  /** The card's own file name inside a model directory. */
  public static final String FILE_NAME = "model-card.json";

  public ModelCard {
    files = files == null ? List.of() : List.copyOf(files);
  }

  /** A card without a fusion section. */
  public ModelCard(String name, String version, List<ModelFile> files) {
    this(name, version, files, null);
  }

  /**
   * One file of a model.
   *
   * @param path path relative to the model directory, with {@code /} separators
   * @param sha256 lower-case hex sha256 of the file's bytes
   * @param bytes the file's size in bytes
   */
  public record ModelFile(String path, String sha256, long bytes) {}
}
