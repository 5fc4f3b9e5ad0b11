package org.tandemcds.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tandemcds.dicom.SyntheticImageWriter;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.SampleBundleWriter;
import org.tandemcds.samples.SampleGenerator;
import org.tandemcds.samples.SampleOptions;
import org.tandemcds.samples.SampleSetWriter;
import org.tandemcds.samples.TransferSyntax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem generate-samples}: writes seeded synthetic chest studies with ground truth. */
@Command(
    name = "generate-samples",
    mixinStandardHelpOptions = true,
    description = {
      "Writes synthetic chest radiograph studies (DICOM CR/DX), FHIR R4 Bundles with clinical",
      "notes, lesion masks and a manifest with the ground truth. Same seed, same bytes.",
      "See docs/sample-studies.md."
    })
public final class GenerateSamplesCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--count", required = true, description = "number of studies")
  int count;

  @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, description = "output folder")
  Path out;

  @Option(
      names = "--first-index",
      defaultValue = "0",
      description = "index of the first study, for shards (default ${DEFAULT-VALUE})")
  int firstIndex;

  @Option(names = "--min-side", defaultValue = "1024", description = "smallest image side")
  int minSide;

  @Option(names = "--max-side", defaultValue = "3000", description = "largest image side")
  int maxSide;

  @Option(
      names = "--transfer-syntax",
      split = ",",
      description =
          "syntaxes to draw from, each NAME or NAME:WEIGHT: implicit-le, explicit-le,"
              + " deflated-le, explicit-be, rle, jpeg-lossless (default jpeg-lossless:5 and"
              + " every other syntax once)")
  List<String> syntaxes;

  @Option(names = "--site", defaultValue = "mixed", description = "mixed, a (CR-heavy) or b")
  String site;

  @Option(
      names = "--modes",
      split = ",",
      description = "weights of image+note, image-only, note-only (default 0.9,0.05,0.05)")
  double[] modes;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "worker threads; the output does not depend on it (default ${DEFAULT-VALUE})")
  int threads;

  @Option(
      names = "--manifest",
      description =
          "manifest file name (default manifest.json, or"
              + " manifest-<first-index>.json for a shard)")
  String manifest;

  @Option(
      names = "--without-findings",
      description =
          "also write each study's image rendered without its findings"
              + " (image-without-findings.dcm: the deletion test's reference, ADR 0026)")
  boolean withoutFindings;

  @Override
  public Integer call() {
    SampleOptions options = options();
    try {
      Files.createDirectories(out);
    } catch (java.io.IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, out + ": " + e.getMessage(), e);
    }
    SampleBundleWriter bundles = new SampleBundleWriter(new Fhir());
    SampleSetWriter writer =
        new SampleSetWriter(
            new SampleGenerator(options),
            new SyntheticImageWriter()::write,
            bundles::write,
            withoutFindings);
    String name =
        manifest != null
            ? manifest
            : firstIndex == 0 ? "manifest.json" : "manifest-" + firstIndex + ".json";
    Path file = writer.write(out, firstIndex, count, name, options, threads, this::progress);
    spec.commandLine().getErr().println();
    spec.commandLine().getOut().println(file);
    return 0;
  }

  private SampleOptions options() {
    if (count < 1 || firstIndex < 0 || threads < 1 || threads > 256) {
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT, "--count must be >= 1, --first-index >= 0, --threads 1..256");
    }
    try {
      List<TransferSyntax> ts =
          syntaxes == null ? TransferSyntax.defaultMix() : TransferSyntax.mix(syntaxes);
      return new SampleOptions(
          seed,
          minSide,
          maxSide,
          ts,
          site,
          modes == null ? SampleOptions.DEFAULT_MODE_WEIGHTS : modes);
    } catch (IllegalArgumentException e) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  private void progress(int done) {
    int width = 30;
    int filled = (int) ((long) done * width / count);
    spec.commandLine()
        .getErr()
        .printf(
            "\rgenerate-samples [%s%s] %d/%d",
            "#".repeat(filled), " ".repeat(width - filled), done, count);
    spec.commandLine().getErr().flush();
  }
}
