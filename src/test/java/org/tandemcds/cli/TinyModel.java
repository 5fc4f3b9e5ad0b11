package org.tandemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.tandemcds.domain.CdsException;
import org.tandemcds.model.ModelArtifacts;
import picocli.CommandLine;

/**
 * A tiny hybrid case model (64² input, 2 epochs) trained by {@code tandem train} on the committed
 * sample studies, cached on disk under {@code target/test-models} so the command tests that need a
 * model share one training run.
 */
final class TinyModel {
  static final Path CACHE = Path.of("target", "test-models");
  private static final Path DIR = CACHE.resolve("tiny-case-model");

  private TinyModel() {}

  static synchronized Path get() throws IOException {
    if (verifies(DIR)) {
      return DIR;
    }
    Path fresh = Files.createTempDirectory(Files.createDirectories(CACHE), "tiny-case-model-");
    Files.delete(fresh);
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int exit =
        cli.execute(
            "train",
            "--data",
            "sample-studies",
            "--out",
            fresh.toString(),
            "--input-size",
            "64",
            "--epochs",
            "2",
            "--batch-size",
            "8",
            "--device",
            "cpu",
            "--model-cache",
            CACHE.toString());
    assertThat(exit).as(err.toString()).isZero();
    if (Files.exists(DIR)) {
      try (var s = Files.walk(DIR)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.move(fresh, DIR, StandardCopyOption.ATOMIC_MOVE);
    return DIR;
  }

  private static boolean verifies(Path dir) {
    try {
      new ModelArtifacts().open(dir);
      return true;
    } catch (CdsException e) {
      return false;
    }
  }
}
