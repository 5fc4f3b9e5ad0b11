package org.tandemcds.cli;

import java.nio.file.Path;
import org.tandemcds.model.DevicePreference;
import picocli.CommandLine.Option;

/** The options every command that runs the networks shares: device and pretrained-model cache. */
final class ModelOptions {
  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu")
  String device;

  @Option(
      names = "--model-cache",
      description = "where the pretrained text model is extracted (default ~/.cache/tandem/models)")
  Path cache = Path.of(System.getProperty("user.home"), ".cache", "tandem", "models");

  DevicePreference devicePreference() {
    return DevicePreference.parse(device);
  }
}
