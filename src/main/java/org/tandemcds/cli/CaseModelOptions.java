package org.tandemcds.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.tandemcds.config.ModelConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs the trained case model over cases ({@code analyze}, {@code
 * serve}, {@code demo}): which model, where its card is published, device and caches.
 */
final class CaseModelOptions {
  @Option(
      names = "--model",
      defaultValue = "models/tandem-cxr-fusion",
      description = "the trained case model folder (default ${DEFAULT-VALUE})")
  Path model;

  @Option(names = "--model-card-url", description = "where outputs say the model card is published")
  String modelCardUrl;

  @Mixin ModelOptions modelOptions;

  /** The model configuration {@code App.start} takes. */
  ModelConfig config() {
    return new ModelConfig(
        model, modelOptions.device, modelOptions.cache, Optional.ofNullable(modelCardUrl));
  }
}
