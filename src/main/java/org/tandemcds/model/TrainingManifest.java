package org.tandemcds.model;

import ai.djl.util.JsonUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Reads a training set's {@code manifest.json} (format {@code tandem-sample-manifest/1}, the format
 * {@code tandem generate-samples} writes and a hospital's own data must follow; see {@code
 * docs/models.md}): per study an {@code id}, {@code files.dicom} and/or {@code files.bundle}
 * (relative to the manifest's folder) and {@code labels} with 0 or 1 for every finding; optionally
 * {@code findings} with lesion masks and note spans (read: masks, and spans of stance {@code
 * negated}). Every other field is ignored. Stateless.
 */
public final class TrainingManifest {
  static final String FORMAT = "tandem-sample-manifest/1";

  /**
   * The studies of a manifest.
   *
   * @throws CdsException {@link ErrorCode#INPUT_NOT_FOUND} when the file is missing; {@link
   *     ErrorCode#INVALID_ARGUMENT} when it is not such a manifest, a study lacks a label of one of
   *     {@code findings}, has neither file, or an id repeats
   */
  public List<LabelledStudy> read(Path manifest, List<String> findings) {
    JsonObject root = parse(manifest);
    if (!root.has("studies")
        || !root.has("format")
        || !FORMAT.equals(root.get("format").getAsString())) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, manifest + ": format is not " + FORMAT);
    }
    List<LabelledStudy> studies = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (JsonElement e : root.getAsJsonArray("studies")) {
      LabelledStudy s = study(manifest, e.getAsJsonObject(), findings);
      if (!ids.add(s.id())) {
        throw new CdsException(ErrorCode.INVALID_ARGUMENT, manifest + ": repeated id " + s.id());
      }
      studies.add(s);
    }
    return studies;
  }

  private static LabelledStudy study(Path manifest, JsonObject s, List<String> findings) {
    String id = s.has("id") ? s.get("id").getAsString() : "";
    JsonObject files = s.has("files") ? s.getAsJsonObject("files") : new JsonObject();
    Optional<Path> dicom = file(manifest, files, "dicom");
    Optional<Path> bundle = file(manifest, files, "bundle");
    if (id.isBlank() || (dicom.isEmpty() && bundle.isEmpty())) {
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT, manifest + ": study '" + id + "' needs an id and a file");
    }
    Map<String, Integer> labels = labels(manifest, id, s, findings);
    if (!s.has("findings") || !s.get("findings").isJsonObject()) {
      return new LabelledStudy(id, dicom, bundle, labels);
    }
    JsonObject truth = s.getAsJsonObject("findings");
    return new LabelledStudy(
        id,
        dicom,
        bundle,
        labels,
        true,
        masks(manifest, truth, labels),
        negations(manifest, id, truth, labels));
  }

  /**
   * Per finding, its note spans of stance {@code negated} ({@code findings.<name>.noteSpans[]} with
   * {@code start}, {@code end}, {@code text}, {@code stance}); spans without offsets or text are
   * skipped.
   *
   * @throws CdsException {@link ErrorCode#INVALID_ARGUMENT} when the spans are not such objects
   */
  private static Map<String, List<NoteMention>> negations(
      Path manifest, String id, JsonObject truth, Map<String, Integer> labels) {
    try {
      return negations(truth, labels);
    } catch (IllegalStateException
        | IllegalArgumentException
        | ClassCastException
        | UnsupportedOperationException e) {
      // what Gson's getAs… throws on the wrong kind of element (NumberFormatException included)
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT, manifest + ": study " + id + " has malformed note spans", e);
    }
  }

  private static Map<String, List<NoteMention>> negations(
      JsonObject truth, Map<String, Integer> labels) {
    Map<String, List<NoteMention>> out = new LinkedHashMap<>();
    for (String finding : labels.keySet()) {
      JsonElement e = truth.get(finding);
      if (e == null || !e.isJsonObject() || !e.getAsJsonObject().has("noteSpans")) {
        continue;
      }
      List<NoteMention> mentions = new ArrayList<>();
      for (JsonElement span : e.getAsJsonObject().getAsJsonArray("noteSpans")) {
        JsonObject m = span.getAsJsonObject();
        if (m.has("stance")
            && "negated".equals(m.get("stance").getAsString())
            && m.has("start")
            && m.has("end")
            && m.has("text")) {
          mentions.add(
              new NoteMention(
                  m.get("start").getAsInt(), m.get("end").getAsInt(), m.get("text").getAsString()));
        }
      }
      if (!mentions.isEmpty()) {
        out.put(finding, List.copyOf(mentions));
      }
    }
    return out;
  }

  /**
   * Masks of present findings whose image evidence is not declared missing ({@code absent}: occult,
   * {@code none}, {@code not-acquired}); a present finding without a usable mask gets none.
   */
  private static Map<String, Path> masks(
      Path manifest, JsonObject truth, Map<String, Integer> labels) {
    Map<String, Path> out = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> label : labels.entrySet()) {
      JsonElement e = truth.get(label.getKey());
      if (label.getValue() != 1 || e == null || !e.isJsonObject()) {
        continue;
      }
      JsonObject f = e.getAsJsonObject();
      String evidence = f.has("imageEvidence") ? f.get("imageEvidence").getAsString() : "visible";
      if (f.has("mask")
          && !f.get("mask").isJsonNull()
          && !Set.of("absent", "none", "not-acquired").contains(evidence)) {
        out.put(
            label.getKey(),
            manifest.toAbsolutePath().getParent().resolve(f.get("mask").getAsString()));
      }
    }
    return out;
  }

  private static Map<String, Integer> labels(
      Path manifest, String id, JsonObject s, List<String> findings) {
    JsonObject labels = s.has("labels") ? s.getAsJsonObject("labels") : new JsonObject();
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String f : findings) {
      int v = labels.has(f) ? labels.get(f).getAsInt() : -1;
      if (v != 0 && v != 1) {
        throw new CdsException(
            ErrorCode.INVALID_ARGUMENT, manifest + ": study " + id + " needs label " + f + " 0/1");
      }
      out.put(f, v);
    }
    return out;
  }

  private static Optional<Path> file(Path manifest, JsonObject files, String kind) {
    if (!files.has(kind) || files.get(kind).isJsonNull()) {
      return Optional.empty();
    }
    return Optional.of(
        manifest.toAbsolutePath().getParent().resolve(files.get(kind).getAsString()));
  }

  private static JsonObject parse(Path manifest) {
    if (!Files.isRegularFile(manifest)) {
      throw new CdsException(ErrorCode.INPUT_NOT_FOUND, manifest + ": no manifest");
    }
    try {
      return JsonUtils.GSON.fromJson(Files.readString(manifest), JsonObject.class);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot read " + manifest, e);
    } catch (JsonParseException | IllegalStateException | ClassCastException e) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, manifest + " is not a manifest", e);
    }
  }
}
