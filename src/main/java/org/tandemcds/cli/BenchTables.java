package org.tandemcds.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tandemcds.parse.IngestTimer.FileTiming;

/** Markdown tables for docs/benchmarks.md. */
final class BenchTables {
  private BenchTables() {}

  static String machine() {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        "Machine: %s %s, %d cores, Java %s, max heap %d MB.%n",
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        rt.availableProcessors(),
        System.getProperty("java.version"),
        rt.maxMemory() >> 20);
  }

  static String decode(
      String title, List<FileTiming> tandem, Map<Path, Double> pydicom, Map<Path, Double> dcmtk) {
    StringBuilder b = new StringBuilder("### ").append(title).append("\n\n");
    b.append("| file | pixels | Tandem ms | pydicom ms | dcmj2pnm ms (process) |\n");
    b.append("|---|---:|---:|---:|---:|\n");
    for (FileTiming t : tandem) {
      b.append(
          String.format(
              "| %s | %,d | %.1f | %s | %s |%n",
              name(t.file()),
              t.pixels(),
              t.medianNanos() / 1e6,
              ms(pydicom.get(t.file())),
              ms(dcmtk.get(t.file()))));
    }
    double[] ratios =
        tandem.stream()
            .filter(t -> pydicom.containsKey(t.file()))
            .mapToDouble(t -> pydicom.get(t.file()) / (t.medianNanos() / 1e6))
            .toArray();
    double nanosPerPixel =
        median(tandem.stream().mapToDouble(t -> (double) t.medianNanos() / t.pixels()).toArray());
    b.append(
        String.format(
            "%nFiles: %d. Median over files of Tandem's median: %.1f ms; %.2f ns per pixel%s."
                + " Median pydicom/Tandem time ratio: %s.%n",
            tandem.size(),
            median(tandem.stream().mapToDouble(t -> t.medianNanos() / 1e6).toArray()),
            nanosPerPixel,
            large(tandem) ? String.format(", i.e. %.1f ms for 2500x2000", nanosPerPixel * 5) : "",
            ratios.length == 0 ? "n/a" : String.format("%.2f", median(ratios))));
    return b.toString();
  }

  /** Per-pixel cost says something about a 5-megapixel image only when the files are large. */
  private static boolean large(List<FileTiming> timings) {
    return median(timings.stream().mapToDouble(t -> (double) t.pixels()).toArray()) >= 1e6;
  }

  static String notes(NoteBench.Result r) {
    return String.format(
        "### Note parsing (FHIR parse, text, sentences, tokens; one thread)%n%n"
            + "%d files with %d notes, %,d bytes: median pass %.1f ms → %.0f notes/s, %.2f MB/s.%n",
        r.files(),
        r.notes(),
        r.bytes(),
        r.medianPassMillis(),
        r.notesPerSecond(),
        r.megabytesPerSecond());
  }

  private static String name(Path file) {
    Path parent = file.getParent();
    return parent == null ? file.toString() : parent.getFileName() + "/" + file.getFileName();
  }

  private static String ms(Double value) {
    return value == null ? "—" : String.format("%.1f", value);
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
