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

  @Option(
      names = "--encoded-cache",
      description =
          "file keeping the encoded labelled set (images letterboxed, notes through MiniLM); reused"
              + " when the same studies, input size and text model are encoded again")
  Path encodedCache;

  DevicePreference devicePreference() {
    return DevicePreference.parse(device);
  }
}
