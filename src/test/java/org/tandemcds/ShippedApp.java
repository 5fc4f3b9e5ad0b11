package org.tandemcds;

import java.nio.file.Path;
import java.util.Optional;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ModelConfig;
import org.tandemcds.model.ShippedModel;

/** The product's app with the shipped model on the CPU, as tests and benchmarks start it. */
public final class ShippedApp {
  private ShippedApp() {}

  /**
   * {@link App#start(AppConfig, ModelConfig)} with the shipped model, text model cached in target.
   */
  public static App start() {
    return App.start(
        AppConfig.defaults(),
        new ModelConfig(
            ShippedModel.DEFAULT, "cpu", Path.of("target", "test-models"), Optional.empty()));
  }
}
