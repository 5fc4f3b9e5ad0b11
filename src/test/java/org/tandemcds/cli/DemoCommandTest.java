package org.tandemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tandem demo} over the committed sample set with a tiny trained model. */
class DemoCommandTest {
  private static final Path SAMPLES = Path.of("sample-studies");
  @TempDir static Path out;
  private static int exit;
  private static List<String> lines;
  private static JsonNode manifest;

  @BeforeAll
  static void run_the_demo() throws IOException {
    Path model = TinyModel.get();
    StringWriter stdout = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(stdout));
    exit =
        cli.execute(
            "demo",
            "--samples",
            SAMPLES.toString(),
            "--model",
            model.toString(),
            "--model-cache",
            TinyModel.CACHE.toString(),
            "--device",
            "cpu",
            "--out",
            out.toString());
    lines = Arrays.asList(stdout.toString().split("\\R"));
    manifest = new ObjectMapper().readTree(SAMPLES.resolve("manifest.json").toFile());
  }

  @Test
  void every_bundled_study_is_analysed_and_its_bundle_is_valid() {
    int n = manifest.get("studies").size();
    assertThat(lines).noneMatch(l -> l.contains("FAILED") || l.contains("INVALID"));
    assertThat(exit).isZero();
    assertThat(lines)
        .anyMatch(
            l ->
                l.startsWith(
                    n + " studies, " + n + " analysed, 0 failed; " + n + " Bundles valid"));
    for (JsonNode study : manifest.get("studies")) {
      assertThat(lineOf(study.get("id").asText())).contains(" valid ");
      assertThat(out.resolve(study.get("id").asText()).resolve("bundle.json")).isRegularFile();
    }
  }

  @Test
  void each_line_names_the_mode_the_manifest_records() {
    for (JsonNode study : manifest.get("studies")) {
      assertThat(lineOf(study.get("id").asText())).contains(" " + study.get("mode").asText() + " ");
    }
  }

  @Test
  void patients_appear_only_pseudonymised() {
    for (JsonNode study : manifest.get("studies")) {
      assertThat(lineOf(study.get("id").asText()))
          .contains(" pt-")
          .doesNotContain(study.get("patientId").asText());
    }
  }

  @Test
  void the_summary_says_where_the_outputs_are_and_that_they_are_suggestions() throws IOException {
    assertThat(lines).anyMatch(l -> l.startsWith("Outputs: " + out.toAbsolutePath()));
    assertThat(lines).anyMatch(l -> l.contains("AI suggestion that requires clinician review"));
    String first = manifest.get("studies").get(0).get("id").asText();
    assertThat(Files.readString(out.resolve(first).resolve("bundle.json")))
        .contains("\"status\": \"preliminary\"")
        .contains("AIAST");
  }

  @Test
  void a_folder_without_a_sample_manifest_is_a_coded_error(@TempDir Path empty) {
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
        .orElseThrow(() -> new AssertionError("no line for " + id + " in " + lines));
  }
}
