package org.tandemcds.deliver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tandemcds.App;
import org.tandemcds.ShippedApp;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.dicom.ResultSource;
import org.tandemcds.store.OutboxState;

/**
 * Benchmark (not a test) of the PACS-triggered turnaround: a real Orthanc forwards each uploaded CR
 * study (its note stored in Tandem before) to {@code tandem serve} with the shipped model; the time
 * from the instance being stored in Tandem's study store to Orthanc holding every SC and the SR
 * Tandem sent back, with and without the configured quiet time. One warm-up study (not counted)
 * first: a long-running serve pays class loading and JIT once. Arguments: work folder, quiet time
 * in ms, then the sample study folders to measure.
 */
public final class PacsTurnaroundBench {
  private PacsTurnaroundBench() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]));
    long quietMs = Long.parseLong(args[1]);
    List<Path> studies = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      studies.add(Path.of(args[i]));
    }
    int tandemDicomPort = ResultFixtures.freePort();
    try (OrthancPacs orthanc =
            OrthancPacs.start(work.resolve("orthanc"), "TANDEM", tandemDicomPort);
        App app = ShippedApp.start();
        App.Serving serving =
            app.serveWithReview(
                config(app, work, orthanc, tandemDicomPort, quietMs),
                app.pipeline()::run,
                () -> true)) {
      String tandem = "http://127.0.0.1:" + serving.port();
      List<Double> turnaround = new ArrayList<>();
      for (int i = 0; i < studies.size(); i++) {
        double ms = round(serving, orthanc, tandem, studies.get(i));
        System.out.printf(
            "%s %s: %.0f ms (%.0f ms without the quiet time)%n",
            i == 0 ? "warm-up" : "run", studies.get(i).getFileName(), ms, ms - quietMs);
        if (i > 0) {
          turnaround.add(ms - quietMs);
        }
      }
      Collections.sort(turnaround);
      int n = turnaround.size();
      double median =
          n % 2 == 1
              ? turnaround.get(n / 2)
              : (turnaround.get(n / 2 - 1) + turnaround.get(n / 2)) / 2;
      System.out.printf(
          "median turnaround without the quiet time: %.0f ms over %d runs %s%n",
          median, n, turnaround);
    }
  }

  private static double round(App.Serving serving, OrthancPacs orthanc, String tandem, Path study)
      throws Exception {
    String studyUid = ResultSource.read(study.resolve("image.dcm")).studyInstanceUid();
    ResultFixtures.postNotes(tandem, study.resolve("bundle.json"));
    long sentBefore = sent(serving);
    orthanc.upload(study.resolve("image.dcm"));
    while (serving.studies().instances(studyUid).isEmpty()) {
      Thread.sleep(10);
    }
    long received = System.nanoTime();
    while (true) {
      long sent = sent(serving) - sentBefore;
      Map<OutboxState, Long> depth = serving.outbox().orElseThrow().depth("orthanc");
      boolean idle =
          depth.getOrDefault(OutboxState.QUEUED, 0L) == 0
              && depth.getOrDefault(OutboxState.SENDING, 0L) == 0;
      if (sent > 0 && idle && orthanc.instancesOfStudy(studyUid).size() == 1 + sent) {
        return (System.nanoTime() - received) / 1e6;
      }
      Thread.sleep(20);
    }
  }

  private static long sent(App.Serving serving) {
    return serving.outbox().orElseThrow().depth("orthanc").getOrDefault(OutboxState.SENT, 0L);
  }

  private static ServeConfig config(
      App app, Path work, OrthancPacs orthanc, int tandemDicomPort, long quietMs) {
    Map<String, String> flags = new HashMap<>();
    flags.put("port", "0");
    flags.put("data-dir", work.resolve("tandem").toString());
    flags.put("quiet-time", quietMs + "ms");
    flags.put("dicom-port", String.valueOf(tandemDicomPort));
    flags.put(
        "dicom-destinations",
        "orthanc=" + OrthancPacs.AE_TITLE + "@127.0.0.1:" + orthanc.dicomPort);
    flags.put("dicom-delivery-interval", "100ms");
    flags.put("model-version", app.modelIdentity().orElseThrow());
    return ServeConfig.of(ConfigSources.merge(Optional.empty(), Map.of(), flags));
  }
}
