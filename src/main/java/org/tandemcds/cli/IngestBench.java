package org.tandemcds.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.domain.CdsException;
import org.tandemcds.parse.IngestTimer;
import org.tandemcds.parse.IngestTimer.FileTiming;
import org.tandemcds.samples.TransferSyntax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem bench ingest}: DICOM decode + normalise, one thread, for generated CR studies and
 * pydicom's test files, side by side with pydicom and DCMTK's dcmj2pnm on the same files in the
 * same run; and note parsing throughput.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Decode-and-normalise timing (median of warm runs, one thread) for generated",
      "2000-2500 px uncompressed CR studies and for pydicom's test files, beside pydicom and",
      "dcmj2pnm on the same files; then note parsing throughput."
    })
final class IngestBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--repeats", defaultValue = "15", description = "timed runs per file")
  int repeats;

  @Option(names = "--warmups", defaultValue = "5", description = "untimed runs per file")
  int warmups;

  @Option(names = "--cr-count", defaultValue = "6", description = "generated CR studies")
  int crCount;

  @Option(
      names = "--pydicom-data",
      description = "pydicom's data folder (default: $TANDEM_PYDICOM_DATA)")
  Path pydicomData;

  @Option(
      names = "--r4-examples",
      description = "unpacked hl7.fhir.r4.examples package folder (default: $TANDEM_R4_EXAMPLES)")
  Path r4Examples;

  @Option(names = "--samples", defaultValue = "sample-studies", description = "sample set")
  Path samples;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("tandem-bench-");
    try (App app = App.start(AppConfig.defaults())) {
      IngestTimer timer = new IngestTimer(app.studyReader());
      BenchReferences references = new BenchReferences(work);
      out.println(BenchTables.machine());
      for (TransferSyntax syntax :
          List.of(TransferSyntax.EXPLICIT_LE, TransferSyntax.JPEG_LOSSLESS)) {
        List<Path> cr =
            BenchInputs.generatedCr(app, work.resolve(syntax.cliName()), crCount, syntax);
        out.println(section("Generated CR/DX, " + syntax.cliName(), timer, references, cr));
      }
      List<Path> all = BenchInputs.pydicomFiles(folder(pydicomData, "TANDEM_PYDICOM_DATA"));
      List<Path> corpus = decodable(app, all);
      String title =
          "pydicom test files Tandem decodes (" + corpus.size() + " of " + all.size() + ")";
      out.println(section(title, timer, references, corpus));
      out.println(BenchTables.notes(NoteBench.run(app, noteInputs(), warmups, repeats)));
    }
    return 0;
  }

  private String section(String title, IngestTimer timer, BenchReferences refs, List<Path> files) {
    spec.commandLine().getErr().println("bench: timing " + files.size() + " files: " + title);
    List<FileTiming> tandem = timer.time(files, warmups, repeats);
    Map<Path, Double> pydicom = refs.pydicomMedians(files, repeats);
    Map<Path, Double> dcmtk = refs.dcmj2pnmMedians(files, Math.max(3, repeats / 3));
    return BenchTables.decode(title, tandem, pydicom, dcmtk);
  }

  private List<Path> noteInputs() {
    List<Path> files = new ArrayList<>(BenchInputs.sampleBundles(samples));
    files.addAll(BenchInputs.r4NoteFiles(folder(r4Examples, "TANDEM_R4_EXAMPLES")));
    return files;
  }

  private static List<Path> decodable(App app, List<Path> files) {
    List<Path> ok = new ArrayList<>();
    for (Path file : files) {
      try {
        app.studyReader().readInstance(file);
        ok.add(file);
      } catch (CdsException e) {
        // refused files are not timed: the corpus test checks their codes
      }
    }
    return ok;
  }

  private static Path folder(Path given, String variable) {
    if (given != null) {
      return given;
    }
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new CdsException(
          org.tandemcds.domain.ErrorCode.INVALID_ARGUMENT,
          "set " + variable + " or pass the folder (./tandem test sets it up)");
    }
    return Path.of(value);
  }
}
