package org.tandemcds.cli;

import picocli.CommandLine.Command;

/** {@code tandem bench}: measurements run on purpose, recorded in docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks, each printing a Markdown table to paste into docs/benchmarks.md.",
      "Run them on an otherwise idle machine; medians are reported, side by side with",
      "reference tools measured in the same run."
    },
    subcommands = {
      IngestBench.class,
      EncoderBench.class,
      ReceiveBench.class,
      ExplainBench.class,
      ServeBench.class
    })
final class BenchCommand {}
