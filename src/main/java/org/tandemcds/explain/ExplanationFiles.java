package org.tandemcds.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.NoteAttribution;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.SaliencyMap;

/**
 * Writes an explanation next to an analysis output: {@code explanation.json} (format {@code
 * tandem-explanation/1}: what produced it, the AI label, per finding the modality contribution, the
 * saliency grid with its geometry and region, the overlay file's name and the top evidence spans;
 * per note and finding every token's score) and one {@code overlay-<finding>.png} per overlay. Each
 * file is written to {@code *.part} and then renamed. Thread-safe.
 */
public final class ExplanationFiles {
  /** Name of the JSON file. */
  public static final String JSON = "explanation.json";

  private static final ObjectMapper JSON_MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ExplanationFiles() {}

  /** The overlay file name of a finding. */
  public static String overlayName(String finding) {
    return "overlay-" + finding + ".png";
  }

  /**
   * Writes the files into {@code dir} (created when missing) and returns their paths, JSON first.
   *
   * @param prediction the prediction explained (names the model and carries the probabilities)
   * @throws CdsException {@link ErrorCode#IO_FAILURE} when a file cannot be written
   */
  public static List<Path> write(Explanation explanation, Prediction prediction, Path dir) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      written.add(
          atomically(
              dir.resolve(JSON), JSON_MAPPER.writeValueAsBytes(json(explanation, prediction))));
      for (FindingExplanation f : explanation.findings()) {
        if (f.overlay().isPresent()) {
          written.add(atomically(dir.resolve(overlayName(f.finding())), f.overlay().get().png()));
        }
      }
      return written;
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "explanation files in " + dir, e);
    }
  }

  private static Path atomically(Path target, byte[] bytes) throws IOException {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    Files.write(part, bytes);
    return Files.move(
        part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The JSON tree (plain maps and lists). */
  static Map<String, Object> json(Explanation e, Prediction p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "tandem-explanation/1");
    m.put("notice", ExplainStage.AI_LABEL);
    m.put(
        "model",
        Map.of("name", p.modelName(), "version", p.modelVersion(), "sha256", p.modelSha256()));
    m.put("mode", p.mode().label());
    List<Object> findings = new ArrayList<>();
    for (FindingExplanation f : e.findings()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("finding", f.finding());
      p.findings().stream()
          .filter(fp -> fp.finding().equals(f.finding()))
          .findFirst()
          .ifPresent(
              fp -> {
                x.put("probability", round(fp.probability()));
                x.put("threshold", round(fp.threshold()));
                x.put("positive", fp.positive());
              });
      x.put("contribution", contribution(f.contribution()));
      f.saliency().ifPresent(s -> x.put("saliency", saliency(s)));
      f.overlay().ifPresent(o -> x.put("overlay", overlayName(f.finding())));
      x.put("evidence", f.evidence().stream().map(ExplanationFiles::span).toList());
      findings.add(x);
    }
    m.put("findings", findings);
    m.put("notes", e.notes().stream().map(ExplanationFiles::tokens).toList());
    return m;
  }

  private static Map<String, Object> contribution(ModalityContribution c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gateImage", round(c.gateImage()));
    m.put("gateNote", round(c.gateNote()));
    m.put("gateJoint", round(c.gateJoint()));
    m.put("probability", round(c.probability()));
    m.put("withoutNote", c.withoutNote().isPresent() ? round(c.withoutNote().getAsDouble()) : null);
    m.put(
        "withoutImage",
        c.withoutImage().isPresent() ? round(c.withoutImage().getAsDouble()) : null);
    return m;
  }

  private static Map<String, Object> saliency(SaliencyMap s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", s.method());
    m.put("sopInstanceUid", s.sopInstanceUid());
    m.put("frameNumber", s.frameNumber());
    m.put("imageRows", s.imageRows());
    m.put("imageColumns", s.imageColumns());
    m.put("gridRows", s.gridRows());
    m.put("gridColumns", s.gridColumns());
    m.put("rawMaximum", s.rawMaximum());
    double[] values = new double[s.values().length];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.round(s.values()[i] * 1000) / 1000.0;
    }
    m.put("values", values);
    s.region()
        .ifPresent(
            r -> {
              Map<String, Object> region = new LinkedHashMap<>();
              region.put("box", List.of(r.left(), r.top(), r.width(), r.height()));
              region.put(
                  "contour",
                  r.contour().stream().map(pt -> List.of(pt.column(), pt.row())).toList());
              m.put("region", region);
            });
    return m;
  }

  private static Map<String, Object> span(EvidenceSpan s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("note", s.noteReference());
    m.put("start", s.span().start());
    m.put("end", s.span().end());
    m.put("text", s.text());
    m.put("score", round(s.score()));
    return m;
  }

  private static Map<String, Object> tokens(NoteAttribution a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("note", a.noteReference());
    m.put("finding", a.finding());
    m.put("tokens", a.tokens().stream().map(t -> List.of(t.start(), t.end())).toList());
    double[] scores = new double[a.scores().length];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = round(a.scores()[i]);
    }
    m.put("scores", scores);
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1e5) / 1e5;
  }
}
