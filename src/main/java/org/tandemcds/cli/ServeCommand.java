package org.tandemcds.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem serve}: the HTTP service (STOW-RS, FHIR, $analyze, health, metrics). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve Tandem over HTTP: DICOMweb STOW-RS, FHIR notes, DiagnosticReport/$analyze, /health",
      "and /metrics. Settings come from --config FILE, TANDEM_* environment variables and flags,",
      "later ones winning (keys in docs/api.md). Binds 127.0.0.1 unless TLS and auth are set."
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", description = "properties file of settings")
  Path configFile;

  @Option(names = "--host", description = "address to bind (default 127.0.0.1)")
  String host;

  @Option(names = "--port", description = "TCP port, 0 for any free one (default 8080)")
  Integer port;

  @Option(names = "--data-dir", description = "data folder (default ./data)")
  Path dataDir;

  @Option(names = "--jdbc-url", description = "database URL; default the embedded H2 file")
  String jdbcUrl;

  @Option(names = "--set", description = "any setting as key=value (repeatable)")
  List<String> settings = List.of();

  @Mixin CaseModelOptions caseModel;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> values =
        new HashMap<>(
            ConfigSources.merge(Optional.ofNullable(configFile), System.getenv(), flags()));
    ServeConfig serve = ServeConfig.of(values); // refuses a bad configuration before models load
    Termination termination = Termination.handleSignals();
    App app = App.start(AppConfig.defaults(), caseModel.config());
    App.Serving serving;
    try {
      serve = settings(app, values);
      Pipeline pipeline = app.pipeline();
      serving = app.serveWithReview(serve, pipeline::run, () -> true);
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
    Runnable stop = closer(serving, app);
    // still close on an exit not caused by SIGTERM/SIGINT (e.g. SIGHUP)
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "tandem-shutdown"));
    System.out.println(
        "tandem serve: listening on " + serve.host() + ":" + serving.port() + " (" + serve + ")");
    System.out.flush();
    termination.await();
    System.out.println("tandem serve: stopping");
    stop.run();
    System.out.println("tandem serve: stopped");
    return 0;
  }

  /**
   * The serve settings from merged configuration values (defaults, file, environment, flags), with
   * jobs keyed on the model {@code app} actually loaded unless a model version is configured. Tests
   * that start the product the way this command does call this too.
   *
   * @throws CdsException {@link ErrorCode#CONFIG_INVALID} for an invalid value
   */
  public static ServeConfig settings(App app, Map<String, String> values) {
    Map<String, String> settings = new HashMap<>(values);
    String unset = ServeConfig.DEFAULTS.get("model-version");
    if (unset.equals(settings.get("model-version"))) {
      settings.put("model-version", app.modelIdentity().orElse(unset));
    }
    return ServeConfig.of(settings);
  }

  /** Closes the service, then the app, once, whoever asks first. */
  private static Runnable closer(App.Serving serving, App app) {
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        try {
          serving.close();
        } finally {
          app.close();
        }
      }
    };
  }

  private Map<String, String> flags() {
    Map<String, String> flags = new HashMap<>();
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw new CdsException(
            ErrorCode.CONFIG_INVALID, "--set takes key=value, got '" + setting + "'");
      }
      flags.put(setting.substring(0, eq).strip(), setting.substring(eq + 1));
    }
    if (host != null) {
      flags.put("host", host);
    }
    if (port != null) {
      flags.put("port", port.toString());
    }
    if (dataDir != null) {
      flags.put("data-dir", dataDir.toString());
    }
    if (jdbcUrl != null) {
      flags.put("jdbc-url", jdbcUrl);
    }
    return flags;
  }
}
