package org.tandemcds.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.Overlay;
import org.tandemcds.domain.StageTiming;
import org.tandemcds.explain.ExplanationFiles;

/**
 * The files of one analysis in an output folder: {@code bundle.json}, {@code overlays/*.png},
 * {@code explanation/} (explanation.json and one overlay per explained finding) and {@code
 * run.json} on success; only {@code operation-outcome.json} on failure. Everything is written under
 * a hidden staging folder first and moved into place at the end, so a folder with a {@code
 * bundle.json} always holds a complete result.
 */
final class RunOutputs {
  static final String BUNDLE = "bundle.json";
  static final String OUTCOME = "operation-outcome.json";
  static final String RUN = "run.json";
  static final String OVERLAYS = "overlays";
  static final String EXPLANATION = "explanation";

  private RunOutputs() {}

  /**
   * Makes sure {@code out} is a new or empty folder.
   *
   * @throws CdsException {@link ErrorCode#INVALID_ARGUMENT} when it holds files already
   */
  static void prepare(Path out) {
    try {
      if (Files.exists(out)) {
        if (!Files.isDirectory(out)) {
          throw new CdsException(ErrorCode.INVALID_ARGUMENT, "--out " + out + " is not a folder");
        }
        try (Stream<Path> s = Files.list(out)) {
          if (s.findAny().isPresent()) {
            throw new CdsException(
                ErrorCode.INVALID_ARGUMENT, "--out " + out + " must be a new or empty folder");
          }
        }
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot create " + out, e);
    }
  }

  /** Writes a finished run; returns the files written, bundle first. */
  static List<Path> write(Path out, AnalysisRun run) {
    Path staging = out.resolve(".staging-" + run.runId());
    try {
      Files.createDirectories(staging.resolve(OVERLAYS));
      List<String> names = new ArrayList<>();
      List<Overlay> overlays = run.report().overlays();
      for (int i = 0; i < overlays.size(); i++) {
        String name = OVERLAYS + "/" + (i + 1) + "-" + overlays.get(i).sopInstanceUid() + ".png";
        Files.write(staging.resolve(name), overlays.get(i).png());
        names.add(name);
      }
      if (run.explanation().isPresent()) {
        ExplanationFiles.write(
            run.explanation().get(), run.prediction(), staging.resolve(EXPLANATION));
      }
      Files.writeString(staging.resolve(RUN), summary(run), StandardCharsets.UTF_8);
      Files.writeString(staging.resolve(BUNDLE), run.report().bundleJson(), StandardCharsets.UTF_8);
      List<Path> written = new ArrayList<>();
      if (!overlays.isEmpty()) {
        Files.move(
            staging.resolve(OVERLAYS), out.resolve(OVERLAYS), StandardCopyOption.ATOMIC_MOVE);
        names.forEach(n -> written.add(out.resolve(n)));
      }
      if (run.explanation().isPresent()) {
        written.add(move(staging, out, EXPLANATION));
      }
      written.add(0, move(staging, out, RUN));
      // the Bundle last: its presence means the result is complete
      written.add(0, move(staging, out, BUNDLE));
      deleteTree(staging);
      return written;
    } catch (IOException e) {
      deleteQuietly(staging);
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot write the results to " + out, e);
    }
  }

  /** Writes the OperationOutcome of a failed run (through a {@code .part} file). */
  static Path writeFailure(Path out, String outcomeJson) {
    try {
      Files.createDirectories(out);
      Path part = out.resolve(OUTCOME + ".part");
      Files.writeString(part, outcomeJson, StandardCharsets.UTF_8);
      return Files.move(part, out.resolve(OUTCOME), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot write " + OUTCOME + " to " + out, e);
    }
  }

  /** Removes anything a failed run left behind (staging folders), keeping the folder itself. */
  static void clean(Path out) {
    if (!Files.isDirectory(out)) {
      return;
    }
    try (Stream<Path> s = Files.list(out)) {
      s.filter(p -> p.getFileName().toString().startsWith(".staging-"))
          .forEach(RunOutputs::deleteQuietly);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot clean " + out, e);
    }
  }

  private static Path move(Path staging, Path out, String name) throws IOException {
    return Files.move(staging.resolve(name), out.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String summary(AnalysisRun run) throws IOException {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("runId", run.runId());
    root.put("mode", run.mode().label());
    root.put("model", run.prediction().modelName() + " " + run.prediction().modelVersion());
    root.put("modelSha256", run.prediction().modelSha256());
    root.put("explained", run.explanation().isPresent());
    root.put("started", run.started().toString());
    root.put("finished", run.finished().toString());
    ArrayNode findings = root.putArray("findings");
    for (FindingPrediction f : run.prediction().findings()) {
      findings
          .addObject()
          .put("finding", f.finding())
          .put("probability", f.probability())
          .put("threshold", f.threshold())
          .put("positive", f.positive());
    }
    ObjectNode stages = root.putObject("stageMillis");
    for (StageTiming t : run.stages()) {
      stages.put(t.stage(), t.nanos() / 1e6);
    }
    return m.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      // best effort: a staging folder never holds a bundle.json at the top level of the output
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
