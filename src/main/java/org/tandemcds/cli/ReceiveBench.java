package org.tandemcds.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.tandemcds.dicom.InstanceCopies;
import org.tandemcds.dicom.ReceiverConfig;
import org.tandemcds.dicom.StorageReceiver;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.store.Database;
import org.tandemcds.store.StudyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem bench receive}: C-STORE receive throughput of Tandem's receiver (into the study
 * store and its embedded database) against DCMTK's storescp (files only, {@code --fork}) on the
 * same files, the same machine and in the same run, both fed by the same concurrent storescu.
 */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    description = {
      "C-STORE receive throughput: Tandem's receiver vs DCMTK's storescp --fork, same files,",
      "same concurrent storescu senders, alternating rounds; prints medians and the ratio."
    })
final class ReceiveBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--instance",
      defaultValue = "sample-studies/study-000000/image.dcm",
      description = "the instance to copy under new UIDs")
  Path instance;

  @Option(names = "--count", defaultValue = "400", description = "instances per round")
  int count;

  @Option(names = "--senders", defaultValue = "8", description = "concurrent storescu")
  int senders;

  @Option(names = "--rounds", defaultValue = "3", description = "rounds per receiver")
  int rounds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("tandem-bench-receive-");
    List<Path> files = InstanceCopies.write(instance, count, work.resolve("input"));
    List<Double> tandem = new ArrayList<>();
    List<Double> storescp = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      tandem.add(tandemRound(files, work.resolve("tandem-" + round)));
      storescp.add(storescpRound(files, work.resolve("storescp-" + round)));
      spec.commandLine()
          .getErr()
          .printf(
              Locale.ROOT,
              "bench: round %d: tandem %.1f/s, storescp %.1f/s%n",
              round,
              tandem.get(round),
              storescp.get(round));
    }
    double t = median(tandem);
    double s = median(storescp);
    out.println(BenchTables.machine());
    out.printf(
        Locale.ROOT,
        "| receiver | instances/s (median of %d) | ratio to storescp |%n|---|---|---|%n"
            + "| Tandem (study store + H2) | %.1f | %.2f |%n| storescp --fork (files) | %.1f | 1.00 |%n",
        rounds,
        t,
        t / s,
        s);
    out.printf(
        Locale.ROOT,
        "%n%d copies of %s (uncompressed, %d bytes each) per round over %d concurrent storescu.%n",
        count,
        instance.getFileName(),
        Files.size(files.get(0)),
        senders);
    deleteTree(work);
    return 0;
  }

  private double tandemRound(List<Path> files, Path dataDir) throws Exception {
    try (Database database = Database.embedded(dataDir);
        StorageReceiver receiver =
            StorageReceiver.start(
                ReceiverConfig.defaults(dataDir.resolve("spool")).withPort(0),
                new StudyStore(database, dataDir, Clock.systemUTC(), 1L << 30),
                (key, result, ae) -> {})) {
      return send(files, receiver.port());
    }
  }

  private double storescpRound(List<Path> files, Path folder) throws Exception {
    Files.createDirectories(folder);
    int port = freePort();
    Process storescp =
        new ProcessBuilder(
                "storescp", "--fork", "+xa", "-aet", "TANDEM", "-od", folder.toString(), "" + port)
            .redirectErrorStream(true)
            .redirectOutput(folder.resolveSibling(folder.getFileName() + ".log").toFile())
            .start();
    try {
      awaitListening(port);
      return send(files, port);
    } finally {
      storescp.destroy();
      storescp.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Instances per second, from the first storescu start to the last one's exit. */
  private double send(List<Path> files, int port) throws Exception {
    long start = System.nanoTime();
    List<Process> processes = new ArrayList<>();
    int per = (files.size() + senders - 1) / senders;
    for (int i = 0; i < files.size(); i += per) {
      List<String> command =
          new ArrayList<>(List.of("storescu", "-R", "-aec", "TANDEM", "127.0.0.1", "" + port));
      files.subList(i, Math.min(files.size(), i + per)).forEach(f -> command.add(f.toString()));
      processes.add(new ProcessBuilder(command).redirectErrorStream(true).start());
    }
    for (Process p : processes) {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new CdsException(
            ErrorCode.INTERNAL, "storescu failed during the benchmark: " + output);
      }
    }
    return files.size() / ((System.nanoTime() - start) / 1e9);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitListening(int port) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new CdsException(ErrorCode.INTERNAL, "storescp did not start");
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
