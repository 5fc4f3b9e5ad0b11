package org.tandemcds.samples;

import java.nio.file.Path;
import org.tandemcds.dicom.SyntheticImageWriter;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.SampleBundleWriter;

/** Writes generated sample sets for tests, the way {@code tandem generate-samples} does. */
public final class SampleSets {
  private SampleSets() {}

  /**
   * Studies {@code 0 … count-1} of {@code options} into {@code out}, with {@code manifest.json}.
   */
  public static void write(Path out, SampleOptions options, int count, int threads) {
    write(out, options, count, threads, false);
  }

  /**
   * The same, with each study's image rendered without findings when {@code withoutFindings}
   * ({@code --without-findings}: what {@code evaluate --explain} needs).
   */
  public static void write(
      Path out, SampleOptions options, int count, int threads, boolean withoutFindings) {
    new SampleSetWriter(
            new SampleGenerator(options),
            new SyntheticImageWriter()::write,
            new SampleBundleWriter(new Fhir())::write,
            withoutFindings)
        .write(out, 0, count, "manifest.json", options, threads, i -> {});
  }

  /**
   * The tiny labelled training set of the model tests: 12 studies of seed 77, 64–96 px a side, with
   * their images without findings (the explanation evaluation reads them), written into {@code out}
   * and read back through the training manifest.
   */
  public static java.util.List<org.tandemcds.model.LabelledStudy> tinyTrainingSet(Path out) {
    write(out, SampleOptions.defaults(77).withSides(64, 96), 12, 1, true);
    return new org.tandemcds.model.TrainingManifest()
        .read(out.resolve("manifest.json"), org.tandemcds.model.FusionSpec.CHEST_FINDINGS);
  }
}
