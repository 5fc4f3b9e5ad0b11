package org.tandemcds.model;

import ai.djl.util.JsonUtils;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Opens a model directory: reads {@code model-card.json}, checks that it lists every file in the
 * directory and nothing outside it, and verifies every listed file's size and sha256 before
 * anything is loaded.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelArtifacts {
  private static final long MAX_CARD_BYTES = 1 << 20;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /**
   * Verifies and opens a model directory.
   *
   * @throws CdsException {@link ErrorCode#MODEL_NOT_FOUND} when the directory, its card or a listed
   *     file is missing; {@link ErrorCode#MODEL_CARD_INVALID} when the card is malformed, names a
   *     path outside the directory, or the directory holds a file the card does not list; {@link
   *     ErrorCode#MODEL_CHECKSUM_MISMATCH} when a file's size or sha256 differs from the card
   */
  public VerifiedModel open(Path dir) {
    Path cardFile = dir.resolve(ModelCard.FILE_NAME);
    if (!Files.isRegularFile(cardFile)) {
      throw new CdsException(ErrorCode.MODEL_NOT_FOUND, "no " + ModelCard.FILE_NAME + " in " + dir);
    }
    ModelCard card = readCard(cardFile);
    checkListsEveryFile(dir, card);
    card.files().forEach(f -> verify(dir, f));
    return new VerifiedModel(dir, card, Sha256.of(cardFile));
  }

  private static ModelCard readCard(Path cardFile) {
    String json = readSmall(cardFile);
    try {
      ModelCard card = JsonUtils.GSON.fromJson(json, ModelCard.class);
      checkWellFormed(cardFile, card);
      return card;
    } catch (JsonParseException e) {
      throw new CdsException(ErrorCode.MODEL_CARD_INVALID, cardFile + " is not valid JSON", e);
    }
  }

  private static String readSmall(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_CARD_BYTES + 1);
      if (bytes.length > MAX_CARD_BYTES) {
        throw new CdsException(ErrorCode.MODEL_CARD_INVALID, file + " is larger than 1 MiB");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot read " + file, e);
    }
  }

  private static void checkWellFormed(Path cardFile, ModelCard card) {
    if (card == null || blank(card.name()) || blank(card.version()) || card.files().isEmpty()) {
      throw new CdsException(
          ErrorCode.MODEL_CARD_INVALID, cardFile + " must give name, version and files");
    }
    Set<String> seen = new HashSet<>();
    for (ModelCard.ModelFile f : card.files()) {
      if (f == null || !safeRelative(f.path()) || f.sha256() == null) {
        throw new CdsException(ErrorCode.MODEL_CARD_INVALID, cardFile + " lists a bad file entry");
      }
      if (!SHA256.matcher(f.sha256()).matches() || !seen.add(f.path())) {
        throw new CdsException(
            ErrorCode.MODEL_CARD_INVALID, cardFile + ": bad or repeated entry " + f.path());
      }
    }
  }

  private static boolean safeRelative(String path) {
    if (blank(path) || path.startsWith("/") || path.contains("\\")) {
      return false;
    }
    Path p = Path.of(path);
    return !p.isAbsolute() && p.normalize().toString().equals(path) && !path.startsWith("..");
  }

  private static void checkListsEveryFile(Path dir, ModelCard card) {
    Set<String> listed = new HashSet<>();
    card.files().forEach(f -> listed.add(f.path()));
    listed.add(ModelCard.FILE_NAME);
    for (String present : filesUnder(dir)) {
      if (!listed.contains(present)) {
        throw new CdsException(
            ErrorCode.MODEL_CARD_INVALID, dir + " holds " + present + ", which the card omits");
      }
    }
  }

  private static List<String> filesUnder(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .toList();
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot list " + dir, e);
    }
  }

  private static void verify(Path dir, ModelCard.ModelFile f) {
    Path file = dir.resolve(f.path());
    if (!Files.isRegularFile(file)) {
      throw new CdsException(ErrorCode.MODEL_NOT_FOUND, "missing model file " + file);
    }
    String actual = Sha256.of(file);
    if (!actual.equals(f.sha256()) || size(file) != f.bytes()) {
      throw new CdsException(
          ErrorCode.MODEL_CHECKSUM_MISMATCH,
          file + " has sha256 " + actual + ", the card says " + f.sha256());
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot read " + file, e);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
