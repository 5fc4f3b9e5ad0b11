package org.tandemcds.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.http.StowClient;
import org.tandemcds.samples.SampleTransactions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem bench serve}: {@code tandem serve} as the product runs it (review module, the
 * model's whole pipeline, embedded database, fresh data folder per server) on loopback. Each round
 * measures (1) STOW-RS ingest: every committed sample image in one request to a server whose quiet
 * time is an hour, so no analysis competes; (2) study-complete → report-ready: one CR study's note
 * POSTed, then its image over STOW-RS; the time from the STOW-RS response to the suggestion
 * (DiagnosticReport) being stored and readable, minus the configured quiet time.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "tandem serve on loopback with the real pipeline: STOW-RS ingest MB/s of the sample images",
      "and study-complete to report-ready latency for one CR and its note (quiet time excluded);",
      "prints each round and the medians as a Markdown table."
    })
final class ServeBench implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin CaseModelOptions caseModel;

  @Option(names = "--samples", defaultValue = "sample-studies", description = "sample set")
  Path samples;

  @Option(names = "--rounds", defaultValue = "5", description = "rounds (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--quiet-ms",
      defaultValue = "200",
      description = "quiet time of the latency server, excluded from the latency (ms)")
  long quietMs;

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> images = images();
    List<Path> crWithNotes = crStudiesWithNotes();
    long bytes = 0;
    for (Path image : images) {
      bytes += Files.size(image);
    }
    Path work = Files.createTempDirectory("tandem-bench-serve-");
    List<Double> mbPerSecond = new ArrayList<>();
    List<Double> latencyMs = new ArrayList<>();
    out.println(
        "| round | STOW-RS (" + images.size() + " instances) | latency, quiet time excluded |");
    out.println("|---|---|---|");
    try (App app = App.start(AppConfig.defaults(), caseModel.config())) {
      for (int round = 0; round < rounds; round++) {
        Path dir = work.resolve("round-" + round);
        mbPerSecond.add(bytes / 1e6 / stowSeconds(app, dir.resolve("ingest"), images));
        Path study = crWithNotes.get(round % crWithNotes.size());
        latencyMs.add(latencyMs(app, dir.resolve("latency"), study));
        out.printf(
            Locale.ROOT,
            "| %d%s | %.1f MB/s | %.0f ms |%n",
            round,
            round == 0 ? " (cold)" : "",
            mbPerSecond.get(round),
            latencyMs.get(round));
        out.flush();
      }
    }
    out.printf(
        Locale.ROOT,
        "| **median** | **%.1f MB/s** | **%.0f ms** |%n%n%d instances, %.1f MB; quiet time %d ms;"
            + " work folder %s%n",
        median(mbPerSecond),
        median(latencyMs),
        images.size(),
        bytes / 1e6,
        quietMs,
        work);
    return 0;
  }

  private App.Serving serve(App app, Path dataDir, String quietTime) {
    ServeConfig config =
        ServeConfig.of(
            ConfigSources.flags(
                Map.of(
                    "port",
                    "0",
                    "dicom-port",
                    "-1",
                    "data-dir",
                    dataDir.toString(),
                    "quiet-time",
                    quietTime,
                    "model-version",
                    app.modelIdentity().orElseThrow())));
    return app.serveWithReview(config, app.pipeline()::run, () -> true);
  }

  private double stowSeconds(App app, Path dataDir, List<Path> images) throws Exception {
    try (App.Serving serving = serve(app, dataDir, "1h")) {
      long t0 = System.nanoTime();
      send(StowClient.request(base(serving), images), 200);
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  private double latencyMs(App app, Path dataDir, Path study) throws Exception {
    try (App.Serving serving = serve(app, dataDir, quietMs + "ms")) {
      send(
          HttpRequest.newBuilder(URI.create(base(serving) + "/fhir"))
              .header("Content-Type", "application/fhir+json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(SampleTransactions.of(study))),
          200);
      send(StowClient.request(base(serving), List.of(study.resolve("image.dcm"))), 200);
      long complete = System.nanoTime();
      while (serving
          .review()
          .reports()
          .search(Set.of(), Set.of(), Optional.empty(), Optional.empty(), 1)
          .isEmpty()) {
        Thread.sleep(5);
      }
      return (System.nanoTime() - complete) / 1e6 - quietMs;
    }
  }

  private static String base(App.Serving serving) {
    return "http://127.0.0.1:" + serving.port();
  }

  private void send(HttpRequest.Builder request, int expected) throws Exception {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new CdsException(
          ErrorCode.INTERNAL,
          "bench request answered " + response.statusCode() + ": " + response.body());
    }
  }

  private List<Path> images() throws IOException {
    List<Path> images = new ArrayList<>();
    for (JsonNode s : manifest().path("studies")) {
      String dicom = s.at("/files/dicom").asText("");
      if (!dicom.isEmpty()) {
        images.add(samples.resolve(dicom));
      }
    }
    return images;
  }

  private List<Path> crStudiesWithNotes() throws IOException {
    List<Path> studies = new ArrayList<>();
    for (JsonNode s : manifest().path("studies")) {
      if ("image+note".equals(s.path("mode").asText())
          && "CR".equals(s.at("/image/modality").asText())) {
        studies.add(samples.resolve(s.path("id").asText()));
      }
    }
    if (studies.isEmpty()) {
      throw new CdsException(
          ErrorCode.INPUT_NOT_FOUND, samples + " has no CR study with a note in its manifest");
    }
    return studies;
  }

  private JsonNode manifest() throws IOException {
    Path manifest = samples.resolve("manifest.json");
    if (!Files.exists(manifest)) {
      throw new CdsException(ErrorCode.INPUT_NOT_FOUND, manifest + " does not exist");
    }
    return JSON.readTree(manifest.toFile());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
