package org.tandemcds.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;

/**
 * Benchmark of {@code tandem serve} (not a test): STOW-RS ingest throughput of the committed sample
 * studies (all images in one request, fresh data folder each round) and the latency from the
 * STOW-RS response of one study (CR + note stored before) to its result being recorded, minus the
 * configured quiet time. Analyses use {@link ParseOnlyAnalyzer} (DICOM decode + note reading, no
 * model) until the pipeline is merged. Arguments: samples folder, work folder, rounds.
 */
public final class ServeBench {
  private ServeBench() {}

  public static void main(String[] args) throws Exception {
    Path samples = Path.of(args[0]);
    Path work = Files.createDirectories(Path.of(args[1]));
    int rounds = Integer.parseInt(args[2]);
    List<Path> studies;
    try (Stream<Path> list = Files.list(samples)) {
      studies = list.filter(p -> Files.exists(p.resolve("image.dcm"))).sorted().toList();
    }
    long bytes = 0;
    for (Path s : studies) {
      bytes += Files.size(TinyStudies.image(s));
    }
    List<Double> mbPerS = new ArrayList<>();
    List<Double> latencyMs = new ArrayList<>();
    long quietMs = 200;
    try (App app = App.start(AppConfig.defaults())) {
      for (int round = 0; round < rounds; round++) {
        Path data = work.resolve("round-" + round);
        ServeConfig config =
            ServeConfig.of(
                ConfigSources.merge(
                    Optional.empty(),
                    Map.of(),
                    Map.of(
                        "port",
                        "0",
                        "data-dir",
                        data.toString(),
                        "quiet-time",
                        quietMs + "ms",
                        "workers",
                        "1")));
        try (App.Serving serving =
            app.serve(
                config,
                new ParseOnlyAnalyzer(app.caseParser(), "bench", Duration.ZERO),
                () -> true,
                List.of(),
                List.of())) {
          Client client = new Client(serving.port());
          // Latency first, on an idle server: note stored, then the CR study arrives.
          Path one = studies.get(round % studies.size());
          client.fhir("/fhir", TinyStudies.transaction(one));
          String uid = ServeIT.studyUid(TinyStudies.image(one));
          client.stow(List.of(TinyStudies.image(one)));
          long stowed = System.nanoTime();
          while (serving.results().forStudy(uid).isEmpty()) {
            Thread.sleep(5);
          }
          latencyMs.add((System.nanoTime() - stowed) / 1e6 - quietMs);
          long t0 = System.nanoTime();
          int status = client.stow(studies.stream().map(TinyStudies::image).toList()).statusCode();
          double seconds = (System.nanoTime() - t0) / 1e9;
          mbPerS.add(bytes / 1e6 / seconds);
          System.out.printf(
              "round %d: STOW-RS %d instances %.1f MB in %.2f s (status %d) = %.1f MB/s; latency %.0f ms%n",
              round,
              studies.size(),
              bytes / 1e6,
              seconds,
              status,
              bytes / 1e6 / seconds,
              latencyMs.get(latencyMs.size() - 1));
        }
      }
    }
    System.out.printf(
        "median STOW-RS %.1f MB/s; median study-complete to result %.0f ms (quiet time %d ms excluded)%n",
        median(mbPerS), median(latencyMs), quietMs);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
