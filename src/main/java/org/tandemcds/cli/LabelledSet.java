package org.tandemcds.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.encode.EncodedSetFile;
import org.tandemcds.encode.TextEncoder;
import org.tandemcds.encode.TrainingSetEncoder;
import org.tandemcds.model.FusionSpec;
import org.tandemcds.model.LabelledStudy;
import org.tandemcds.model.PretrainedTextModel;
import org.tandemcds.model.TrainingManifest;

/**
 * Reads a labelled set (a folder with {@code manifest.json}, or the manifest itself) and encodes it
 * once for training or evaluation, printing progress to {@code err}. Not thread-safe.
 */
final class LabelledSet {
  private final Path cache;
  private final PrintWriter err;
  private final Path encodedCache;

  LabelledSet(Path cache, PrintWriter err) {
    this(cache, err, null);
  }

  /** With {@code encodedCache} set, the encoded set is saved there and reused when it matches. */
  LabelledSet(Path cache, PrintWriter err, Path encodedCache) {
    this.cache = cache;
    this.err = err;
    this.encodedCache = encodedCache;
  }

  /** The manifest's studies, only the first {@code limit} when {@code limit > 0}. */
  static List<LabelledStudy> studies(Path data, int limit) {
    Path manifest = Files.isDirectory(data) ? data.resolve("manifest.json") : data;
    List<LabelledStudy> all = new TrainingManifest().read(manifest, FusionSpec.CHEST_FINDINGS);
    return limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
  }

  /** Encodes the studies with images letterboxed to {@code size}; rejections are reported. */
  TrainingSetEncoder.Result encode(List<LabelledStudy> studies, int size) {
    if (encodedCache == null) {
      return encodeNow(studies, size);
    }
    String key = key(studies, size);
    java.util.Optional<TrainingSetEncoder.Result> saved = EncodedSetFile.read(encodedCache, key);
    if (saved.isPresent()) {
      err.printf("encoded set read from %s (%d cases)%n", encodedCache, saved.get().cases().size());
      return saved.get();
    }
    TrainingSetEncoder.Result r = encodeNow(studies, size);
    EncodedSetFile.write(encodedCache, key, r);
    return r;
  }

  /** sha256 over what decides the encoding: studies (ids, files, labels), size, text model. */
  private static String key(List<LabelledStudy> studies, int size) {
    StringBuilder b = new StringBuilder();
    b.append(size).append('|').append(PretrainedTextModel.ONNX_SHA256).append('\n');
    for (LabelledStudy s : studies) {
      b.append(s.id())
          .append('|')
          .append(s.dicom().map(Path::toAbsolutePath).orElse(null))
          .append('|')
          .append(s.bundle().map(Path::toAbsolutePath).orElse(null))
          .append('|')
          .append(new java.util.TreeMap<>(s.labels()))
          .append('\n');
    }
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private TrainingSetEncoder.Result encodeNow(List<LabelledStudy> studies, int size) {
    PretrainedTextModel.TextModelFiles files = new PretrainedTextModel().extract(cache);
    long start = System.nanoTime();
    try (App app = App.start(AppConfig.defaults());
        TextEncoder text = TextEncoder.open(files)) {
      TrainingSetEncoder.Result r =
          new TrainingSetEncoder(app.caseParser(), text, size, FusionSpec.CHEST_FINDINGS)
              .encode(
                  studies,
                  done -> {
                    err.printf("\rencode %d/%d studies", done, studies.size());
                    err.flush();
                  });
      err.printf(
          "%nencoded %d studies in %.1f s; rejected %d %s%n",
          r.cases().size(), (System.nanoTime() - start) / 1e9, r.rejected().size(), r.rejected());
      return r;
    }
  }
}
