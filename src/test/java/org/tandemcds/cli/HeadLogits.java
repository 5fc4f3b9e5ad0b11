package org.tandemcds.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tandemcds.model.CaseModel;
import org.tandemcds.model.DevicePreference;
import org.tandemcds.model.Devices;
import org.tandemcds.model.Engines;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.TrainingCase;
import org.tandemcds.model.VerifiedModel;

/**
 * Development tool (not a test): writes every case's fused and per-head logits of a case model as
 * CSV, for reading how a gate over the heads could combine them. The validation split is recomputed
 * as the trainer draws it for a variant that serves every case (shuffle with the seed, first 15 %).
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/classpath.txt) \
 *     org.tandemcds.cli.HeadLogits MODEL_DIR DATA_DIR ENCODED_CACHE OUT.csv validation|all [SEED]
 * </pre>
 */
public final class HeadLogits {
  private HeadLogits() {}

  public static void main(String[] args) throws IOException {
    Engines.init();
    Path modelDir = Path.of(args[0]);
    Path data = Path.of(args[1]);
    Path encoded = Path.of(args[2]);
    Path out = Path.of(args[3]);
    boolean validation = args[4].equals("validation");
    long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
    PrintWriter err = new PrintWriter(System.err, true);
    VerifiedModel verified = new ModelArtifacts().open(modelDir);
    int size = org.tandemcds.model.FusionModel.fusionCard(verified).image().inputSize();
    List<TrainingCase> cases =
        new LabelledSet(
                Path.of(System.getProperty("user.home"), ".cache", "tandem", "models"),
                err,
                encoded)
            .encode(LabelledSet.studies(data, 0), size)
            .cases();
    if (validation) {
      List<TrainingCase> shuffled = new ArrayList<>(cases);
      Collections.shuffle(shuffled, new Random(seed));
      cases = shuffled.subList(0, (int) Math.round(shuffled.size() * 0.15));
    }
    try (CaseModel model = CaseModel.load(verified, new Devices(DevicePreference.parse("cpu")));
        Writer w = Files.newBufferedWriter(out)) {
      CaseModel.Outputs o = model.run(cases, 32);
      int f = o.f();
      StringBuilder head = new StringBuilder("id,image,note");
      for (String kind : List.of("label", "fused", "himage", "hnote", "hjoint")) {
        for (int k = 0; k < f; k++) {
          head.append(',').append(kind).append(k);
        }
      }
      w.write(head.append('\n').toString());
      for (int i = 0; i < cases.size(); i++) {
        TrainingCase c = cases.get(i);
        StringBuilder row =
            new StringBuilder(c.id())
                .append(',')
                .append(c.hasImage() ? 1 : 0)
                .append(',')
                .append(c.hasNote() ? 1 : 0);
        for (int k = 0; k < f; k++) {
          row.append(',').append((int) c.labels()[k]);
        }
        for (int k = 0; k < f; k++) {
          row.append(String.format(Locale.ROOT, ",%.6f", o.fused()[i * f + k]));
        }
        for (int h = 0; h < 3; h++) {
          for (int k = 0; k < f; k++) {
            row.append(String.format(Locale.ROOT, ",%.6f", o.heads()[(i * f + k) * 3 + h]));
          }
        }
        w.write(row.append('\n').toString());
      }
    }
    err.printf("wrote %d cases to %s%n", cases.size(), out);
  }
}
