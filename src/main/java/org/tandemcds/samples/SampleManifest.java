package org.tandemcds.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Reads the index of a sample set ({@code manifest.json}, format {@code tandem-sample-manifest/1}).
 */
public final class SampleManifest {
  private static final String FORMAT = "tandem-sample-manifest/1";

  private SampleManifest() {}

  /** One study of a sample set: its DICOM file and its FHIR Bundle, each when written. */
  public record Case(String id, Optional<Path> dicom, Optional<Path> bundle) {}

  /**
   * The studies a manifest lists, with paths resolved against the manifest's folder.
   *
   * @throws CdsException {@code INPUT_NOT_FOUND} when the manifest is missing, {@code
   *     INVALID_ARGUMENT} when it is not a sample manifest
   */
  public static List<Case> read(Path manifest) {
    if (!Files.isRegularFile(manifest)) {
      throw new CdsException(ErrorCode.INPUT_NOT_FOUND, manifest + ": no sample manifest");
    }
    JsonNode root = parse(manifest);
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, manifest + ": format is not " + FORMAT);
    }
    List<Case> cases = new ArrayList<>();
    root.path("studies").forEach(s -> cases.add(entry(manifest.getParent(), s)));
    return cases;
  }

  private static Case entry(Path folder, JsonNode study) {
    JsonNode files = study.path("files");
    return new Case(
        study.path("id").asText(), file(folder, files, "dicom"), file(folder, files, "bundle"));
  }

  private static Optional<Path> file(Path folder, JsonNode files, String kind) {
    return files.hasNonNull(kind)
        ? Optional.of(folder.resolve(files.get(kind).asText()))
        : Optional.empty();
  }

  private static JsonNode parse(Path manifest) {
    try {
      return new ObjectMapper().readTree(manifest.toFile());
    } catch (IOException e) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, manifest + ": " + e.getMessage(), e);
    }
  }
}
