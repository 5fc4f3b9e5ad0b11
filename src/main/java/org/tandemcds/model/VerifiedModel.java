package org.tandemcds.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * A model directory whose card and files were verified by {@link ModelArtifacts#open(Path)}. Files
 * are read only through this type, and {@link #loadParameters} checks the sha256 again on the bytes
 * it actually reads, so a file swapped after verification is caught too.
 *
 * @param dir the model directory
 * @param card its card
 * @param cardSha256 sha256 of {@code model-card.json}: the one checksum that pins the whole model
 */
public record VerifiedModel(Path dir, ModelCard card, String cardSha256) {

  /**
   * A listed file's path.
   *
   * @throws CdsException {@link ErrorCode#MODEL_NOT_FOUND} when the card does not list it
   */
  public Path file(String path) {
    return dir.resolve(entry(path).path());
  }

  /**
   * Loads a block's parameters from a listed file written by {@link ModelArtifactWriter}. The block
   * must have the architecture it was saved with; its arrays are created by {@code manager} (and so
   * on that manager's device).
   *
   * @throws CdsException {@link ErrorCode#MODEL_NOT_FOUND} for an unlisted file, {@link
   *     ErrorCode#MODEL_FAILURE} when the parameters do not fit the block, {@link
   *     ErrorCode#MODEL_CHECKSUM_MISMATCH} when the bytes read differ from the card
   */
  public void loadParameters(String path, Block block, NDManager manager) {
    ModelCard.ModelFile f = entry(path);
    MessageDigest digest = sha256();
    List<Shape> expected = shapes(block);
    try (DataInputStream in = open(dir.resolve(f.path()), digest)) {
      block.loadParameters(manager, in);
      if (in.read() != -1 || !shapes(block).equals(expected)) {
        throw new CdsException(
            ErrorCode.MODEL_FAILURE, f.path() + " holds parameters of another architecture");
      }
    } catch (CdsException e) {
      throw e;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new CdsException(ErrorCode.MODEL_FAILURE, "cannot load parameters " + f.path(), e);
    }
    String read = HexFormat.of().formatHex(digest.digest());
    if (!read.equals(f.sha256())) {
      throw new CdsException(
          ErrorCode.MODEL_CHECKSUM_MISMATCH, f.path() + " changed after it was verified");
    }
  }

  private static List<Shape> shapes(Block block) {
    if (!block.isInitialized()) {
      throw new CdsException(ErrorCode.INTERNAL, "parameters loaded into an uninitialised block");
    }
    return block.getParameters().values().stream().map(p -> p.getArray().getShape()).toList();
  }

  private ModelCard.ModelFile entry(String path) {
    return card.files().stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .orElseThrow(
            () ->
                new CdsException(
                    ErrorCode.MODEL_NOT_FOUND, "model card of " + dir + " does not list " + path));
  }

  private static DataInputStream open(Path file, MessageDigest digest) throws IOException {
    return new DataInputStream(
        new DigestInputStream(new BufferedInputStream(Files.newInputStream(file)), digest));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new CdsException(ErrorCode.INTERNAL, "JVM has no SHA-256", e);
    }
  }
}
