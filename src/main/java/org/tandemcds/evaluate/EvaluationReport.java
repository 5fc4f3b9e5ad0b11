package org.tandemcds.evaluate;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Writes an {@link Evaluation} into a folder: {@code evaluation.json}, {@code report.html} and the
 * PNG charts it shows ({@code roc-<k>-<finding>.png} per finding, {@code
 * reliability-<s>-pooled.png} and {@code reliability-<s>-<k>-<finding>.png} per set {@code s}, both
 * numbered from 1). Existing files of those names are replaced. Thread-safe (no state).
 */
public final class EvaluationReport {
  /** The sentence every evaluation output carries. */
  public static final String NOTICE =
      "Demonstration model trained on synthetic studies; not for clinical use";

  public static final String JSON_FILE = "evaluation.json";
  public static final String HTML_FILE = "report.html";

  /**
   * Writes every file and returns their paths, JSON first, HTML second.
   *
   * @throws CdsException {@code IO_FAILURE} when the folder or a file cannot be written
   */
  public List<Path> write(Evaluation evaluation, Path folder) {
    List<Path> written = new ArrayList<>();
    createFolder(folder);
    written.add(bytes(folder.resolve(JSON_FILE), new EvaluationJson().toBytes(evaluation)));
    Path html = folder.resolve(HTML_FILE);
    written.add(html);
    Map<String, String> roc = rocImages(evaluation, folder, written);
    List<List<String>> reliability = reliabilityImages(evaluation, folder, written);
    String page = HtmlReport.render(evaluation, roc, reliability);
    bytes(html, page.getBytes(StandardCharsets.UTF_8));
    return written;
  }

  private static Map<String, String> rocImages(Evaluation e, Path folder, List<Path> written) {
    Map<String, String> files = new LinkedHashMap<>();
    RocChart chart = new RocChart();
    for (int k = 0; k < e.findings().size(); k++) {
      String name = "roc-" + (k + 1) + "-" + slug(e.findings().get(k)) + ".png";
      written.add(png(folder.resolve(name), chart.draw(e.findings().get(k), e.sets(), k)));
      files.put(e.findings().get(k), name);
    }
    return files;
  }

  private static List<List<String>> reliabilityImages(
      Evaluation e, Path folder, List<Path> written) {
    ReliabilityChart chart = new ReliabilityChart();
    List<List<String>> all = new ArrayList<>();
    for (int s = 0; s < e.sets().size(); s++) {
      SetMetrics set = e.sets().get(s);
      List<String> files = new ArrayList<>();
      String pooled = "reliability-" + (s + 1) + "-pooled.png";
      written.add(
          png(
              folder.resolve(pooled),
              chart.draw(
                  "All findings, pooled",
                  subtitle(set.name(), set.pooledExpectedCalibrationError()),
                  set.pooledReliability(),
                  Palette.colour(s))));
      files.add(pooled);
      for (int k = 0; k < set.findings().size(); k++) {
        FindingMetrics f = set.findings().get(k);
        String name = "reliability-" + (s + 1) + "-" + (k + 1) + "-" + slug(f.finding()) + ".png";
        written.add(
            png(
                folder.resolve(name),
                chart.draw(
                    f.finding(),
                    subtitle(set.name(), f.expectedCalibrationError()),
                    f.reliability(),
                    Palette.colour(s))));
        files.add(name);
      }
      all.add(files);
    }
    return all;
  }

  private static String subtitle(String set, double ece) {
    return set + " · ECE " + HtmlReport.number(ece);
  }

  /** A file-name-safe form: lower-case letters and digits, other runs replaced by one '-'. */
  static String slug(String text) {
    String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return s.replaceAll("^-|-$", "");
  }

  private static Path png(Path file, BufferedImage image) {
    try {
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new CdsException(ErrorCode.INTERNAL, "no PNG writer for " + file.getFileName());
      }
      return file;
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file + ": " + e.getMessage(), e);
    }
  }

  private static Path bytes(Path file, byte[] content) {
    try {
      return Files.write(file, content);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file + ": " + e.getMessage(), e);
    }
  }

  private static void createFolder(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, folder + ": " + e.getMessage(), e);
    }
  }
}
