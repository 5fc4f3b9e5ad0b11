package org.tandemcds.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {
  @TempDir static Path folder;
  private static Evaluation evaluation;
  private static List<Path> written;

  @BeforeAll
  static void write() {
    evaluation = new Evaluator(200, 7).evaluate(ScoresFixture.threeSets());
    written = new EvaluationReport().write(evaluation, folder);
  }

  @Test
  void json_holds_every_metric_with_the_numbers_of_the_evaluation() throws IOException {
    JsonNode root = new ObjectMapper().readTree(folder.resolve("evaluation.json").toFile());
    assertThat(root.get("format").asText()).isEqualTo("tandem-evaluation/1");
    assertThat(root.get("notice").asText()).contains("not for clinical use");
    assertThat(root.get("sets")).hasSize(3);
    for (int s = 0; s < 3; s++) {
      SetMetrics m = evaluation.sets().get(s);
      JsonNode set = root.get("sets").get(s);
      assertThat(set.get("name").asText()).isEqualTo(m.name());
      assertThat(set.at("/macro/auroc").asDouble()).isEqualTo(m.macroAuroc());
      assertThat(set.at("/macro/aurocInterval/lower").asDouble())
          .isEqualTo(m.macroAurocInterval().lower());
      assertThat(set.at("/pooled/expectedCalibrationError").asDouble())
          .isEqualTo(m.pooledExpectedCalibrationError());
      for (int k = 0; k < 5; k++) {
        FindingMetrics f = m.findings().get(k);
        JsonNode node = set.get("findings").get(k);
        assertThat(node.get("auroc").asDouble()).isEqualTo(f.auroc());
        assertThat(node.get("averagePrecision").asDouble()).isEqualTo(f.averagePrecision());
        assertThat(node.get("threshold").asDouble()).isEqualTo(ScoresFixture.THRESHOLDS[k]);
        assertThat(node.get("sensitivity").asDouble()).isEqualTo(f.atThreshold().sensitivity());
        assertThat(node.get("specificity").asDouble()).isEqualTo(f.atThreshold().specificity());
        assertThat(node.at("/counts/falseNegatives").asInt())
            .isEqualTo(f.atThreshold().falseNegatives());
        assertThat(node.get("reliability")).hasSize(15);
        assertThat(node.get("rocCurve")).hasSize(f.rocCurve().size());
        assertThat(node.at("/rocCurve/0/threshold").isNull()).isTrue();
      }
    }
    assertThat(root.at("/comparison/table")).hasSize(3);
    assertThat(root.at("/comparison/macroAurocDifferences/1/difference").asDouble())
        .isEqualTo(evaluation.comparisons().get(1).difference());
  }

  @Test
  void json_is_byte_identical_for_the_same_input() throws IOException {
    Evaluation again = new Evaluator(200, 7).evaluate(ScoresFixture.threeSets());
    assertThat(new EvaluationJson().toBytes(again))
        .isEqualTo(Files.readAllBytes(folder.resolve("evaluation.json")));
  }

  @Test
  void html_carries_the_notice_and_references_only_files_that_exist() throws IOException {
    String html = Files.readString(folder.resolve("report.html"));
    assertThat(html).contains(EvaluationReport.NOTICE).doesNotContain("http://", "https://");
    Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
    int references = 0;
    while (m.find()) {
      assertThat(folder.resolve(m.group(1))).isRegularFile();
      references++;
    }
    assertThat(references).isEqualTo(5 + 3 * 6);
  }

  @Test
  void every_png_has_its_chart_size_and_is_not_blank() throws IOException {
    List<Path> pngs = written.stream().filter(p -> p.toString().endsWith(".png")).toList();
    assertThat(pngs).hasSize(5 + 3 * 6);
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(pngs.size());
    }
    for (Path png : pngs) {
      BufferedImage image = ImageIO.read(png.toFile());
      boolean roc = png.getFileName().toString().startsWith("roc-");
      assertThat(image.getWidth()).isEqualTo(roc ? RocChart.WIDTH : ReliabilityChart.WIDTH);
      assertThat(image.getHeight()).isEqualTo(roc ? RocChart.HEIGHT : ReliabilityChart.HEIGHT);
      assertThat(luminanceVariance(image)).as(png.toString()).isGreaterThan(200);
    }
  }

  @Test
  void roc_chart_draws_each_set_in_its_okabe_ito_colour() throws IOException {
    BufferedImage image = ImageIO.read(folder.resolve("roc-1-cardiomegaly.png").toFile());
    for (int s = 0; s < 3; s++) {
      int rgb = Palette.colour(s).getRGB() & 0xFFFFFF;
      long pixels = countPixels(image, rgb);
      assertThat(pixels).as("pixels of set " + s).isGreaterThan(100);
    }
  }

  private static long countPixels(BufferedImage image, int rgb) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += (image.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
      }
    }
    return n;
  }

  private static double luminanceVariance(BufferedImage image) {
    double sum = 0;
    double sumSq = 0;
    long n = (long) image.getWidth() * image.getHeight();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        double l = 0.299 * (rgb >> 16 & 255) + 0.587 * (rgb >> 8 & 255) + 0.114 * (rgb & 255);
        sum += l;
        sumSq += l * l;
      }
    }
    double mean = sum / n;
    return sumSq / n - mean * mean;
  }
}
