package org.tandemcds.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference decoders a benchmark runs beside Tandem on the same files: pydicom (Debian's
 * python3-pydicom, in one long-lived process, timing itself) and DCMTK's dcmj2pnm (one process per
 * run, so its times include process start). A file a reference cannot decode has no entry.
 */
final class BenchReferences {
  private static final String PYTHON = "/usr/bin/python3";
  private final Path work;

  BenchReferences(Path work) {
    this.work = work;
  }

  /** pydicom's median milliseconds per file (read + decode + modality LUT + VOI + scale). */
  Map<Path, Double> pydicomMedians(List<Path> files, int repeats) {
    Map<Path, Double> medians = new HashMap<>();
    if (files.isEmpty()) {
      return medians;
    }
    List<String> command =
        new ArrayList<>(List.of(PYTHON, script().toString(), String.valueOf(repeats)));
    files.forEach(f -> command.add(f.toString()));
    for (String line : run(command).split("\\R")) {
      JsonNode result = parse(line);
      if (result != null && result.path("ok").asBoolean()) {
        medians.put(Path.of(result.get("file").asText()), result.get("median_ms").asDouble());
      }
    }
    return medians;
  }

  /** dcmj2pnm's median wall milliseconds per file, writing a min-max windowed PGM. */
  Map<Path, Double> dcmj2pnmMedians(List<Path> files, int repeats) {
    Map<Path, Double> medians = new HashMap<>();
    Path pgm = work.resolve("dcmj2pnm-out.pgm");
    for (Path file : files) {
      double[] millis = new double[repeats];
      boolean ok = true;
      for (int i = 0; i < repeats && ok; i++) {
        long start = System.nanoTime();
        ok = exitsCleanly(List.of("dcmj2pnm", "--quiet", "+Wm", file.toString(), pgm.toString()));
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      if (ok) {
        Arrays.sort(millis);
        medians.put(file, millis[repeats / 2]);
      }
    }
    return medians;
  }

  private Path script() {
    Path script = work.resolve("pydicom_decode.py");
    if (!Files.exists(script)) {
      try (InputStream in = BenchReferences.class.getResourceAsStream("/bench/pydicom_decode.py")) {
        Files.copy(in, script);
      } catch (IOException e) {
        throw new IllegalStateException("bench script missing from the build", e);
      }
    }
    return script;
  }

  private static JsonNode parse(String line) {
    try {
      return line.isBlank() ? null : new ObjectMapper().readTree(line);
    } catch (IOException e) {
      return null;
    }
  }

  private String run(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String output =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      return output;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static boolean exitsCleanly(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
