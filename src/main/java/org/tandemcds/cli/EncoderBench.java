package org.tandemcds.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tandemcds.encode.EncoderBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Mixin ModelOptions networks;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(BenchTables.machine());
    out.printf(
        Locale.ROOT,
        "Load average at start: %.2f%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    EncoderBenchmark.run(networks.cache, networks.devicePreference()).forEach(out::println);
    return 0;
  }
}
