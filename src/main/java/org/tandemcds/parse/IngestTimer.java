package org.tandemcds.parse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tandemcds.domain.ImageInstance;

/**
 * Times the ingest hot path of single files, decoding and normalising them with {@link
 * StudyReader#readInstance}, on the calling thread. For a benchmark command, not for tests.
 *
 * <p>Each file is read {@code warmups} times untimed, then {@code repeats} times timed with {@link
 * System#nanoTime()}; files are timed one after the other. A file that fails throws the reader's
 * {@code CdsException}. Not thread-safe in the sense that concurrent calls disturb each other's
 * timings; holds no state of its own.
 */
public final class IngestTimer {
  /** Timings of one file, in nanoseconds; {@code pixels} counts the pixels of all its frames. */
  public record FileTiming(
      Path file, long pixels, long medianNanos, long minNanos, long maxNanos) {}

  private final StudyReader reader;

  public IngestTimer(StudyReader reader) {
    this.reader = reader;
  }

  /**
   * One timing per file, in the order given.
   *
   * @throws IllegalArgumentException when {@code warmups} is negative or {@code repeats} is not
   *     positive
   */
  public List<FileTiming> time(List<Path> files, int warmups, int repeats) {
    if (warmups < 0 || repeats < 1) {
      throw new IllegalArgumentException("warmups " + warmups + ", repeats " + repeats);
    }
    List<FileTiming> timings = new ArrayList<>(files.size());
    for (Path file : files) {
      timings.add(timeOne(file, warmups, repeats));
    }
    return timings;
  }

  private FileTiming timeOne(Path file, int warmups, int repeats) {
    long pixels = 0;
    for (int i = 0; i < warmups; i++) {
      pixels = pixelsOf(reader.readInstance(file));
    }
    long[] nanos = new long[repeats];
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      ImageInstance instance = reader.readInstance(file);
      nanos[i] = System.nanoTime() - start;
      pixels = pixelsOf(instance);
    }
    Arrays.sort(nanos);
    return new FileTiming(file, pixels, median(nanos), nanos[0], nanos[repeats - 1]);
  }

  private static long pixelsOf(ImageInstance instance) {
    return instance.frames().stream().mapToLong(f -> (long) f.rows() * f.columns()).sum();
  }

  /** The median of sorted values (the mean of the middle two for an even count). */
  static long median(long[] sorted) {
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
