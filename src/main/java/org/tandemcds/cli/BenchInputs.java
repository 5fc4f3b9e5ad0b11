package org.tandemcds.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.tandemcds.App;
import org.tandemcds.dicom.SyntheticImageWriter;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.SampleBundleWriter;
import org.tandemcds.samples.SampleGenerator;
import org.tandemcds.samples.SampleOptions;
import org.tandemcds.samples.SampleSetWriter;
import org.tandemcds.samples.TransferSyntax;

/** The files benchmarks run on. */
final class BenchInputs {
  /** Fixed so that every bench run times the same generated files. */
  private static final long SEED = 20261128L;

  private BenchInputs() {}

  /** {@code count} generated CR/DX studies, 2000–2500 px, 12–16 bits, in {@code syntax}. */
  static List<Path> generatedCr(App app, Path dir, int count, TransferSyntax syntax) {
    SampleOptions options =
        new SampleOptions(SEED, 2000, 2500, List.of(syntax), "a", new double[] {1, 0, 0});
    new SampleSetWriter(
            new SampleGenerator(options),
            new SyntheticImageWriter()::write,
            new SampleBundleWriter(app.fhir())::write)
        .write(dir, 0, count, "manifest.json", options, 1, i -> {});
    return files(dir, f -> f.getFileName().toString().equals("image.dcm"));
  }

  /** Every file of pydicom's {@code test_files} folder (recursively) and {@code charset_files}. */
  static List<Path> pydicomFiles(Path data) {
    return Stream.of("test_files", "charset_files")
        .map(data::resolve)
        .filter(Files::isDirectory)
        .flatMap(d -> files(d, f -> true).stream())
        .toList();
  }

  /** The FHIR Bundles of a sample set. */
  static List<Path> sampleBundles(Path samples) {
    return files(samples, f -> f.getFileName().toString().equals("bundle.json"));
  }

  /** The JSON files of the official R4 examples package. */
  static List<Path> r4NoteFiles(Path examples) {
    return files(examples, f -> f.getFileName().toString().endsWith(".json"));
  }

  private static List<Path> files(Path dir, java.util.function.Predicate<Path> keep) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).filter(keep).sorted().toList();
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, dir + ": cannot list: " + e.getMessage(), e);
    }
  }
}
