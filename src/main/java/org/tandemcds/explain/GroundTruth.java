package org.tandemcds.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The explanation ground truth of a generated labelled set ({@code manifest.json} in the format of
 * {@code docs/sample-studies.md}): per study and finding, whether it is present, how visible it was
 * rendered, its lesion mask (a 1-bit PNG at stored-image size) and the note spans the generator
 * wrote about it. Stateless.
 */
final class GroundTruth {
  private GroundTruth() {}

  /**
   * One study's truth.
   *
   * @param withoutFindings the study's image rendered without its findings (ADR 0026), when the set
   *     has it and the study has an image and a finding present
   */
  record Study(String id, Map<String, Finding> findings, Optional<Path> withoutFindings) {}

  /**
   * One finding's truth.
   *
   * @param imageEvidence {@code visible}, {@code subtle}, {@code absent} (occult), {@code none} or
   *     {@code not-acquired}
   * @param mask the mask PNG, when the image shows a present finding
   */
  record Finding(boolean present, String imageEvidence, Optional<Path> mask, List<Span> spans) {}

  /** A note span the generator wrote: characters of its note text, and its stance. */
  record Span(int start, int end, String text, String stance, String polarity) {}

  static Map<String, Study> read(Path manifest) {
    try {
      JsonNode root = new ObjectMapper().readTree(manifest.toFile());
      Path dir = manifest.toAbsolutePath().getParent();
      Map<String, Study> out = new LinkedHashMap<>();
      for (JsonNode s : root.path("studies")) {
        Map<String, Finding> findings = new LinkedHashMap<>();
        s.path("findings")
            .fields()
            .forEachRemaining(e -> findings.put(e.getKey(), finding(dir, e.getValue())));
        Optional<Path> clear =
            s.hasNonNull("dicomWithoutFindings")
                ? Optional.of(dir.resolve(s.path("dicomWithoutFindings").asText()))
                : Optional.empty();
        out.put(s.path("id").asText(), new Study(s.path("id").asText(), findings, clear));
      }
      return out;
    } catch (IOException e) {
      throw new CdsException(ErrorCode.EXPLAIN_TRUTH_INVALID, manifest.toString(), e);
    }
  }

  /**
   * Whether the set was generated with its studies' images without findings ({@code
   * generator.withoutFindings}).
   */
  static boolean withoutFindings(Path manifest) {
    try {
      return new ObjectMapper()
          .readTree(manifest.toFile())
          .path("generator")
          .path("withoutFindings")
          .asBoolean(false);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.EXPLAIN_TRUTH_INVALID, manifest.toString(), e);
    }
  }

  private static Finding finding(Path dir, JsonNode f) {
    List<Span> spans = new ArrayList<>();
    for (JsonNode s : f.path("noteSpans")) {
      spans.add(
          new Span(
              s.path("start").asInt(),
              s.path("end").asInt(),
              s.path("text").asText(),
              s.path("stance").asText(),
              s.path("polarity").asText()));
    }
    Optional<Path> mask =
        f.hasNonNull("mask") ? Optional.of(dir.resolve(f.path("mask").asText())) : Optional.empty();
    return new Finding(
        f.path("present").asBoolean(), f.path("imageEvidence").asText(), mask, spans);
  }

  /** A mask PNG as {@code rows × columns} booleans (white = inside). */
  static Mask mask(Path png) {
    org.tandemcds.domain.Frame frame =
        org.tandemcds.encode.LesionMaps.read(png, ErrorCode.EXPLAIN_TRUTH_INVALID);
    boolean[] inside = new boolean[frame.pixels().length];
    for (int i = 0; i < inside.length; i++) {
      inside[i] = frame.pixels()[i] > 0.5f;
    }
    return new Mask(frame.rows(), frame.columns(), inside);
  }

  /** A binary mask over the stored image. */
  record Mask(int rows, int columns, boolean[] inside) {
    /** Whether some mask pixel lies within {@code radius} pixels of (row, column). */
    boolean near(double row, double column, double radius) {
      return distance(row, column) <= radius;
    }

    /**
     * Distance in pixels from (row, column) to the centre of the nearest mask pixel (infinite for
     * an empty mask).
     */
    double distance(double row, double column) {
      double best = Double.POSITIVE_INFINITY;
      for (int r = 0; r < rows; r++) {
        double dr = r + 0.5 - row;
        if (dr * dr >= best) {
          continue;
        }
        for (int c = 0; c < columns; c++) {
          if (inside[r * columns + c]) {
            double dc = c + 0.5 - column;
            best = Math.min(best, dr * dr + dc * dc);
          }
        }
      }
      return Math.sqrt(best);
    }

    /** The mask's centre of mass as {row, column} in pixel coordinates (NaN when empty). */
    double[] centroid() {
      double sr = 0;
      double sc = 0;
      long n = 0;
      for (int i = 0; i < inside.length; i++) {
        if (inside[i]) {
          sr += i / columns + 0.5;
          sc += i % columns + 0.5;
          n++;
        }
      }
      return new double[] {sr / n, sc / n};
    }
  }
}
