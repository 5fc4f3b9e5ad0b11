package org.tandemcds.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tandemcds.App;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** Note parsing throughput: FHIR parse, text conversion, sentences and tokens, one thread. */
final class NoteBench {
  /** Median time of one pass over {@code notes} notes in {@code files} files of {@code bytes}. */
  record Result(int files, int notes, long bytes, double medianPassMillis) {
    double notesPerSecond() {
      return notes / (medianPassMillis / 1000.0);
    }

    double megabytesPerSecond() {
      return bytes / 1e6 / (medianPassMillis / 1000.0);
    }
  }

  private NoteBench() {}

  static Result run(App app, List<Path> candidates, int warmups, int repeats) {
    List<byte[]> inputs = new ArrayList<>();
    int notes = 0;
    long bytes = 0;
    for (Path file : candidates) {
      byte[] content = read(file);
      int count = notesIn(app, content, file);
      if (count > 0) {
        inputs.add(content);
        notes += count;
        bytes += content.length;
      }
    }
    for (int i = 0; i < warmups; i++) {
      pass(app, inputs);
    }
    double[] millis = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      millis[i] = pass(app, inputs);
    }
    Arrays.sort(millis);
    return new Result(inputs.size(), notes, bytes, millis[repeats / 2]);
  }

  private static double pass(App app, List<byte[]> inputs) {
    long start = System.nanoTime();
    for (byte[] content : inputs) {
      app.noteReader().readEach(content, "bench");
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static int notesIn(App app, byte[] content, Path file) {
    try {
      return (int)
          app.noteReader().readEach(content, file.toString()).stream()
              .filter(o -> o.note().isPresent())
              .count();
    } catch (CdsException e) {
      return 0; // a file without notes is not a note-parsing input
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file + ": " + e.getMessage(), e);
    }
  }
}
