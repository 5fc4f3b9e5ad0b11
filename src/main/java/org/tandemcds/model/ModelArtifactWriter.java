package org.tandemcds.model;

import ai.djl.nn.Block;
import ai.djl.util.JsonUtils;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Writes a model directory that {@link ModelArtifacts} can open: each block's parameters (DJL's
 * {@link Block#saveParameters} format) and any other files, then {@code model-card.json} listing
 * every file with its size and sha256. Each file is written to {@code *.part} and renamed; the card
 * is written last, so a directory without a card is an unfinished write.
 *
 * <p>Stateless and thread-safe; do not write the same directory from two threads.
 */
public final class ModelArtifactWriter {

  /**
   * Writes a model into {@code dir}, which must not exist or be empty.
   *
   * @param parameters file name (relative, e.g. {@code image.params}) to the block to save
   * @param otherFiles file name to contents (e.g. calibration JSON)
   * @return the card written
   * @throws CdsException {@link ErrorCode#INVALID_ARGUMENT} when {@code dir} holds files or a name
   *     is given twice; {@link ErrorCode#IO_FAILURE} when writing fails
   */
  public ModelCard write(
      Path dir,
      String name,
      String version,
      Map<String, Block> parameters,
      Map<String, byte[]> otherFiles) {
    return write(dir, name, version, parameters, otherFiles, null);
  }

  /**
   * Writes a model into {@code dir} as {@link #write(Path, String, String, Map, Map)} does, with a
   * fusion section in the card.
   */
  public ModelCard write(
      Path dir,
      String name,
      String version,
      Map<String, Block> parameters,
      Map<String, byte[]> otherFiles,
      FusionCard fusion) {
    requireEmpty(dir);
    Map<String, FileWriter> writers = new TreeMap<>();
    parameters.forEach((file, block) -> put(writers, file, out -> saveParameters(block, out)));
    otherFiles.forEach((file, bytes) -> put(writers, file, out -> out.write(bytes)));
    List<ModelCard.ModelFile> files = new ArrayList<>();
    writers.forEach((file, writer) -> files.add(writeFile(dir, file, writer)));
    ModelCard card = new ModelCard(name, version, files, fusion);
    byte[] json = JsonUtils.GSON_PRETTY.toJson(card).getBytes(StandardCharsets.UTF_8);
    writeFile(dir, ModelCard.FILE_NAME, out -> out.write(json));
    return card;
  }

  @FunctionalInterface
  private interface FileWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  private static void put(Map<String, FileWriter> writers, String file, FileWriter writer) {
    if (ModelCard.FILE_NAME.equals(file) || writers.put(file, writer) != null) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "model file name given twice: " + file);
    }
  }

  private static void saveParameters(Block block, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    block.saveParameters(data);
    data.flush();
  }

  private static ModelCard.ModelFile writeFile(Path dir, String file, FileWriter writer) {
    Path target = dir.resolve(file);
    Path part = target.resolveSibling(target.getFileName() + ".part");
    try {
      Files.createDirectories(target.getParent());
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part))) {
        writer.writeTo(out);
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      return new ModelCard.ModelFile(file, Sha256.of(target), Files.size(target));
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot write " + target, e);
    }
  }

  private static void requireEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new CdsException(ErrorCode.INVALID_ARGUMENT, "model directory not empty: " + dir);
      }
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot list " + dir, e);
    }
  }
}
