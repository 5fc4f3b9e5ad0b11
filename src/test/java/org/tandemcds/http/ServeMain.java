package org.tandemcds.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;

/**
 * A real Tandem server process for the kill and two-process tests: the production composition
 * ({@link App#serve}) with {@link ParseOnlyAnalyzer} taking {@code analyse-ms} per analysis.
 * Arguments are {@code key=value} settings (plus {@code analyse-ms}); prints {@code PORT <n>} once
 * listening, then serves until killed.
 */
public final class ServeMain {
  private ServeMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> settings = new HashMap<>();
    long analyseMs = 0;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("analyse-ms=")) {
        analyseMs = Long.parseLong(arg.substring(eq + 1));
      } else {
        settings.put(arg.substring(0, eq), arg.substring(eq + 1));
      }
    }
    ServeConfig config =
        ServeConfig.of(ConfigSources.merge(Optional.empty(), System.getenv(), settings));
    App app = App.start(AppConfig.defaults());
    App.Serving serving =
        app.serve(
            config,
            new ParseOnlyAnalyzer(
                app.caseParser(), config.processId(), Duration.ofMillis(analyseMs)),
            () -> true,
            List.of(),
            List.of());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  serving.close();
                  stopped.countDown();
                }));
    System.out.println("PORT " + serving.port());
    System.out.flush();
    stopped.await();
  }
}
