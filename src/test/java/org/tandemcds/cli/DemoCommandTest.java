package org.tandemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tandem demo} over the committed sample set, checked against that set's manifest. */
class DemoCommandTest {
  private static final Path SAMPLES = Path.of("sample-studies");
  private static int exit;
  private static List<String> lines;
  private static JsonNode manifest;

  @BeforeAll
  static void run_the_demo() throws IOException {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    exit = cli.execute("demo", "--samples", SAMPLES.toString());
    lines = Arrays.asList(out.toString().split("\\R"));
    manifest = new ObjectMapper().readTree(SAMPLES.resolve("manifest.json").toFile());
  }

  @Test
  void every_bundled_study_is_read_and_the_demo_succeeds() {
    assertThat(lines).noneMatch(l -> l.contains("FAILED"));
    assertThat(exit).isZero();
    assertThat(lines.get(lines.size() - 1))
        .startsWith(
            manifest.get("studies").size()
                + " studies, "
                + manifest.get("studies").size()
                + " read, 0 failed");
  }

  @Test
  void each_study_line_names_the_mode_modality_and_view_the_manifest_records() {
    for (JsonNode study : manifest.get("studies")) {
      String line = lineOf(study.get("id").asText());
      assertThat(line).contains(" " + study.get("mode").asText() + " ");
      if (study.has("image") && !study.get("image").isNull()) {
        JsonNode image = study.get("image");
        assertThat(line)
            .contains(" " + image.get("modality").asText() + " ")
            .contains(" " + image.get("viewPosition").asText() + " ")
            .contains("1x" + image.get("rows").asInt() + "x" + image.get("columns").asInt());
      }
    }
  }

  @Test
  void patients_appear_only_pseudonymised() {
    for (JsonNode study : manifest.get("studies")) {
      String line = lineOf(study.get("id").asText());
      assertThat(line).contains(" pt-").doesNotContain(study.get("patientId").asText());
    }
  }

  @Test
  void a_folder_without_a_sample_manifest_is_a_coded_error(
      @org.junit.jupiter.api.io.TempDir Path empty) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("demo", "--samples", empty.toString())).isEqualTo(Main.EXIT_CODED_ERROR);
    assertThat(err.toString()).startsWith("tandem: TDM-401 ").contains("manifest.json");
  }

  private static String lineOf(String id) {
    return lines.stream()
        .filter(l -> l.startsWith(id + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + id));
  }
}
