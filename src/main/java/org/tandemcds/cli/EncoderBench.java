package org.tandemcds.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tandemcds.encode.EncoderBenchmark;
import org.tandemcds.model.DevicePreference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem bench encoders}: image and text encoder speed beside this machine's matmul peak.
 */
@Command(
    name = "encoders",
    mixinStandardHelpOptions = true,
    description = {
      "Image encoder forward at batch 1 and 8 (ms, GFLOPs, share of the fp32 matmul peak measured",
      "in the same run), text encoder on a 256-token note, model load times."
    })
final class EncoderBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model-cache",
      description = "where the pretrained text model is extracted (default ~/.cache/tandem/models)")
  Path cache = Path.of(System.getProperty("user.home"), ".cache", "tandem", "models");

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu")
  String device;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(BenchTables.machine());
    out.printf(
        Locale.ROOT,
        "Load average at start: %.2f%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    EncoderBenchmark.run(cache, DevicePreference.parse(device)).forEach(out::println);
    return 0;
  }
}
