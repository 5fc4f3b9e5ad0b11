package org.tandemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tandem analyze} through the real command line, as a new user would run it: the three modes
 * on committed sample studies, and bad input, each of which must end with a coded OperationOutcome,
 * exit status 2 and no Bundle.
 */
class AnalyzeCommandTest {
  private static final Path SAMPLES = Path.of("sample-studies");
  private static final Path IMAGE = SAMPLES.resolve("study-000003/image.dcm");
  private static final Path NOTE = SAMPLES.resolve("study-000003/bundle.json");
  private static final Path OTHER_PATIENTS_NOTE = SAMPLES.resolve("study-000004/bundle.json");
  @TempDir static Path dir;
  private static Path model;

  @BeforeAll
  static void model() throws IOException {
    model = TinyModel.get();
  }

  private record Run(int exit, String out, String err, Path folder) {
    JsonNode outcome() throws IOException {
      return new ObjectMapper().readTree(folder.resolve("operation-outcome.json").toFile());
    }

    JsonNode bundle() throws IOException {
      return new ObjectMapper().readTree(folder.resolve("bundle.json").toFile());
    }

    List<String> files() throws IOException {
      try (Stream<Path> s = Files.list(folder)) {
        return s.map(p -> p.getFileName().toString()).sorted().toList();
      }
    }
  }

  private static Run analyze(String name, String... args) {
    Path out = dir.resolve(name);
    List<String> all = new ArrayList<>(List.of("analyze", "--out", out.toString()));
    all.addAll(List.of("--device", "cpu", "--model-cache", TinyModel.CACHE.toString()));
    if (!List.of(args).contains("--model")) {
      all.addAll(List.of("--model", model.toString()));
    }
    all.addAll(List.of(args));
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(stdout));
    cli.setErr(new PrintWriter(stderr));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, stdout.toString(), stderr.toString(), out);
  }

  private static void assertCodedFailure(Run r, String code) throws IOException {
    assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_CODED_ERROR);
    assertThat(r.files()).containsExactly("operation-outcome.json");
    JsonNode issue = r.outcome().at("/issue/0");
    assertThat(r.outcome().get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(issue.get("severity").asText()).isEqualTo("error");
    assertThat(issue.at("/details/coding/0/code").asText()).isEqualTo(code);
    assertThat(issue.get("diagnostics").asText()).isNotBlank();
    assertThat(r.err()).startsWith("tandem: " + code + " ").contains("no Bundle was written");
  }

  @Test
  void image_and_note_give_a_complete_bundle_named_image_plus_note() throws IOException {
    Run r = analyze("both", "--study", IMAGE.toString(), "--note", NOTE.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.files()).contains("bundle.json", "run.json", "explanation");
    assertThat(r.out()).contains("AI suggestion (image+note), requires clinician review");
    JsonNode dr = r.bundle().at("/entry/0/resource");
    assertThat(dr.get("conclusion").asText())
        .startsWith("AI-generated suggestion; requires clinician review.")
        .contains("Inputs used: image+note");
    assertThat(r.bundle().get("type").asText()).isEqualTo("transaction");
    long media = 0;
    for (JsonNode e : r.bundle().get("entry")) {
      media += e.at("/resource/resourceType").asText().equals("Media") ? 1 : 0;
    }
    assertThat(r.bundle().get("entry")).hasSize(8 + (int) media);
    assertThat(r.out()).doesNotContain("no explain stage");
    assertThat(r.folder().resolve("explanation").resolve("explanation.json")).isRegularFile();
    long overlays = 0;
    if (r.files().contains("overlays")) {
      try (Stream<Path> files = Files.list(r.folder().resolve("overlays"))) {
        overlays = files.count();
      }
    }
    assertThat(overlays).as("one saliency overlay per Media").isEqualTo(media);
  }

  @Test
  void a_study_alone_runs_image_only() throws IOException {
    Run r = analyze("image-only", "--study", IMAGE.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("AI suggestion (image-only)");
    assertThat(r.bundle().at("/entry/0/resource/conclusion").asText()).contains("image-only");
  }

  @Test
  void a_note_alone_runs_note_only() throws IOException {
    Run r = analyze("note-only", "--note", NOTE.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("AI suggestion (note-only)");
    assertThat(r.bundle().at("/entry/0/resource").has("imagingStudy")).isFalse();
  }

  @Test
  void a_folder_without_images_is_refused() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("no-images"));
    Files.writeString(folder.resolve("readme.txt"), "not an image");
    assertCodedFailure(analyze("no-images-out", "--study", folder.toString()), "TDM-110");
  }

  @Test
  void a_note_for_another_patient_is_refused() throws IOException {
    assertCodedFailure(
        analyze("mismatch", "--study", IMAGE.toString(), "--note", OTHER_PATIENTS_NOTE.toString()),
        "TDM-301");
  }

  @Test
  void a_truncated_dicom_file_is_refused() throws IOException {
    byte[] bytes = Files.readAllBytes(IMAGE);
    Path cut = dir.resolve("truncated.dcm");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Run r = analyze("truncated", "--study", cut.toString());
    assertCodedFailure(r, "TDM-102");
    assertThat(r.outcome().at("/issue/0/diagnostics").asText()).contains("truncated.dcm");
  }

  @Test
  void a_fhir_file_that_is_not_json_is_refused() throws IOException {
    Path note = dir.resolve("note.json");
    Files.writeString(note, "Patient has a cough.\n", StandardCharsets.UTF_8);
    Run r = analyze("not-json", "--note", note.toString());
    assertCodedFailure(r, "TDM-201");
    assertThat(r.outcome().at("/issue/0/diagnostics").asText()).contains("note.json");
  }

  @Test
  void a_study_with_twenty_series_is_refused() throws Exception {
    Path study = Files.createDirectories(dir.resolve("twenty-series"));
    for (int i = 1; i <= 20; i++) {
      Path copy = study.resolve("image-" + i + ".dcm");
      Files.copy(IMAGE, copy);
      Process p =
          new ProcessBuilder(
                  "dcmodify",
                  "-nb",
                  "-i",
                  "(0020,000E)=2.25.9" + i,
                  "-i",
                  "(0008,0018)=2.25.8" + i,
                  copy.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(output).isZero();
    }
    assertCodedFailure(analyze("twenty-out", "--study", study.toString()), "TDM-112");
  }

  @Test
  void a_300_megabyte_note_is_refused_without_reading_it() throws IOException {
    Path big = dir.resolve("huge-note.json");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(300L << 20); // sparse: takes no disk space
    }
    assertCodedFailure(analyze("huge-note", "--note", big.toString()), "TDM-207");
  }

  @Test
  void a_300_megabyte_file_that_is_not_dicom_is_refused() throws IOException {
    Path big = dir.resolve("huge.dcm");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(300L << 20);
    }
    Run r = analyze("huge-study", "--study", big.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_CODED_ERROR);
    assertThat(r.files()).containsExactly("operation-outcome.json");
    assertThat(r.outcome().at("/issue/0/details/coding/0/code").asText()).matches("TDM-1\\d\\d");
  }

  @Test
  void a_missing_model_is_refused_with_tdm_502() throws IOException {
    Run r =
        analyze(
            "no-model",
            "--study",
            IMAGE.toString(),
            "--model",
            dir.resolve("no-such-model").toString());
    assertCodedFailure(r, "TDM-502");
  }

  @Test
  void a_folder_with_results_already_is_not_overwritten() throws IOException {
    Path out = Files.createDirectories(dir.resolve("used"));
    Files.writeString(out.resolve("bundle.json"), "{}");
    Run r = analyze("used", "--study", IMAGE.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_CODED_ERROR);
    assertThat(r.err()).contains("TDM-403").contains("new or empty folder");
    assertThat(Files.readString(out.resolve("bundle.json"))).isEqualTo("{}");
  }
}
