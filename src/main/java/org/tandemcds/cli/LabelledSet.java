package org.tandemcds.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
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

  LabelledSet(Path cache, PrintWriter err) {
    this.cache = cache;
    this.err = err;
  }

  /** The manifest's studies, only the first {@code limit} when {@code limit > 0}. */
  static List<LabelledStudy> studies(Path data, int limit) {
    Path manifest = Files.isDirectory(data) ? data.resolve("manifest.json") : data;
    List<LabelledStudy> all = new TrainingManifest().read(manifest, FusionSpec.CHEST_FINDINGS);
    return limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
  }

  /** Encodes the studies with images letterboxed to {@code size}; rejections are reported. */
  TrainingSetEncoder.Result encode(List<LabelledStudy> studies, int size) {
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
