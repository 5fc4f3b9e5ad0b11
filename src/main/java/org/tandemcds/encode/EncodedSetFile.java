package org.tandemcds.encode;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.model.TrainingCase;

/**
 * An encoded labelled set ({@link TrainingSetEncoder.Result}) saved to one gzip file, so that the
 * several trainings and evaluations of one data set (two-stage recipe, ablations) encode it once.
 *
 * <p>The file starts with a key (the caller's description of what was encoded: manifest sha256,
 * input size, study limit, text model); {@link #read} returns empty when the key differs, so a
 * stale file is re-encoded, never reused. Written to {@code *.part}, then renamed.
 */
public final class EncodedSetFile {
  private static final String MAGIC = "tandem-encoded-set/3";

  private EncodedSetFile() {}

  /**
   * The set saved in {@code file} under {@code key}, or empty when there is no file or its key
   * differs.
   *
   * @throws CdsException {@link ErrorCode#IO_FAILURE} when the file cannot be read
   */
  public static Optional<TrainingSetEncoder.Result> read(Path file, String key) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16)))) {
      if (!in.readUTF().equals(MAGIC) || !in.readUTF().equals(key)) {
        return Optional.empty();
      }
      int n = in.readInt();
      List<TrainingCase> cases = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = in.readUTF();
        int size = in.readInt();
        short[] image = shorts(in);
        int[] content = new int[4];
        for (int k = 0; k < 4; k++) {
          content[k] = in.readInt();
        }
        short[] tokens = shorts(in);
        int tokenCount = in.readInt();
        int dimension = in.readInt();
        float[] labels = new float[in.readInt()];
        for (int k = 0; k < labels.length; k++) {
          labels[k] = in.readFloat();
        }
        byte[][] lesions = null;
        int maps = in.readInt();
        if (maps >= 0) {
          lesions = new byte[maps][];
          for (int k = 0; k < maps; k++) {
            int length = in.readInt();
            if (length >= 0) {
              lesions[k] = new byte[length];
              in.readFully(lesions[k]);
            }
          }
        }
        byte[] negations = new byte[in.readInt()];
        in.readFully(negations);
        cases.add(
            new TrainingCase(
                id,
                size,
                image,
                content,
                tokens,
                tokenCount,
                dimension,
                labels,
                lesions,
                negations));
      }
      Map<String, String> rejected = new LinkedHashMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        rejected.put(in.readUTF(), in.readUTF());
      }
      Map<String, Integer> modes = new LinkedHashMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        modes.put(in.readUTF(), in.readInt());
      }
      return Optional.of(new TrainingSetEncoder.Result(cases, rejected, modes));
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot read encoded set " + file, e);
    }
  }

  /**
   * Saves {@code r} under {@code key}.
   *
   * @throws CdsException {@link ErrorCode#IO_FAILURE} when the file cannot be written
   */
  public static void write(Path file, String key, TrainingSetEncoder.Result r) {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      try (DataOutputStream out =
          new DataOutputStream(
              new BufferedOutputStream(
                  new GZIPOutputStream(Files.newOutputStream(part), 1 << 16)))) {
        out.writeUTF(MAGIC);
        out.writeUTF(key);
        out.writeInt(r.cases().size());
        for (TrainingCase c : r.cases()) {
          out.writeUTF(c.id());
          out.writeInt(c.inputSize());
          shorts(out, c.image());
          for (int k = 0; k < 4; k++) {
            out.writeInt(c.content()[k]);
          }
          shorts(out, c.tokens());
          out.writeInt(c.tokenCount());
          out.writeInt(c.dimension());
          out.writeInt(c.labels().length);
          for (float l : c.labels()) {
            out.writeFloat(l);
          }
          out.writeInt(c.lesions() == null ? -1 : c.lesions().length);
          if (c.lesions() != null) {
            for (byte[] map : c.lesions()) {
              out.writeInt(map == null ? -1 : map.length);
              if (map != null) {
                out.write(map);
              }
            }
          }
          out.writeInt(c.negations().length);
          out.write(c.negations());
        }
        out.writeInt(r.rejected().size());
        for (Map.Entry<String, String> e : r.rejected().entrySet()) {
          out.writeUTF(e.getKey());
          out.writeUTF(e.getValue());
        }
        out.writeInt(r.modes().size());
        for (Map.Entry<String, Integer> e : r.modes().entrySet()) {
          out.writeUTF(e.getKey());
          out.writeInt(e.getValue());
        }
      }
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot write encoded set " + file, e);
    }
  }

  private static short[] shorts(DataInputStream in) throws IOException {
    short[] a = new short[in.readInt()];
    byte[] bytes = new byte[a.length * 2];
    in.readFully(bytes);
    for (int i = 0; i < a.length; i++) {
      a[i] = (short) (((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff));
    }
    return a;
  }

  private static void shorts(DataOutputStream out, short[] a) throws IOException {
    out.writeInt(a.length);
    byte[] bytes = new byte[a.length * 2];
    for (int i = 0; i < a.length; i++) {
      bytes[2 * i] = (byte) (a[i] >> 8);
      bytes[2 * i + 1] = (byte) a[i];
    }
    out.write(bytes);
  }
}
