package org.tandemcds.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.dicom.DecodedImage;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.dicom.DicomLimits;

/**
 * The committed set {@code sample-studies/} is what docs/sample-studies.md promises: reproducible
 * byte for byte from the options in its manifest, valid for dciodvfy, decodable by DCMTK and by
 * Tandem's reader to the very pixels the generator rendered, 1024 px a side or more, under 20 MB.
 */
class CommittedSampleStudiesTest {
  private static final Path SET = Path.of("sample-studies");
  private static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.70";
  @TempDir static Path dir;
  private static JsonNode manifest;
  private static SampleOptions options;

  @BeforeAll
  static void readManifest() throws IOException {
    manifest = new ObjectMapper().readTree(SET.resolve("manifest.json").toFile());
    JsonNode g = manifest.get("generator");
    List<String> syntaxes = new ArrayList<>();
    g.get("transferSyntaxes").forEach(t -> syntaxes.add(t.asText()));
    options =
        new SampleOptions(
            g.get("seed").asLong(),
            g.get("minSide").asInt(),
            g.get("maxSide").asInt(),
            TransferSyntax.mix(syntaxes),
            g.get("site").asText(),
            SampleOptions.DEFAULT_MODE_WEIGHTS);
  }

  @Test
  void the_set_is_regenerated_byte_for_byte_from_its_manifest_options() throws IOException {
    Path out = dir.resolve("again");
    int count = manifest.get("generator").get("count").asInt();
    SampleSets.write(out, options, count, 2);
    List<Path> committed = files(SET);
    List<Path> again = files(out);
    assertThat(committed.stream().map(SET::relativize).toList())
        .isEqualTo(again.stream().map(out::relativize).toList());
    for (int i = 0; i < committed.size(); i++) {
      assertThat(Files.readAllBytes(committed.get(i)))
          .as(committed.get(i).toString())
          .isEqualTo(Files.readAllBytes(again.get(i)));
    }
  }

  @Test
  void the_set_is_under_20_mb_with_every_image_at_least_1024_px_a_side() throws IOException {
    long bytes = 0;
    for (Path f : files(SET)) {
      bytes += Files.size(f);
    }
    assertThat(bytes).isLessThan(20_000_000L);
    for (JsonNode s : manifest.get("studies")) {
      if (s.has("image")) {
        assertThat(s.get("image").get("rows").asInt()).isGreaterThanOrEqualTo(1024);
        assertThat(s.get("image").get("columns").asInt()).isGreaterThanOrEqualTo(1024);
      }
    }
  }

  @Test
  void dciodvfy_reports_no_error_and_no_warning_for_any_committed_image() throws Exception {
    int checked = 0;
    for (Path f : images()) {
      Path plain = f;
      if (run("dcmdump", f.toString()).out.contains("=DeflatedLittleEndianExplicit")) {
        plain = dir.resolve("inflated-" + f.getParent().getFileName() + ".dcm");
        assertThat(run("dcmconv", "+te", f.toString(), plain.toString()).exit).isZero();
      }
      String report = run("dciodvfy", plain.toString()).out;
      assertThat(report).as("dciodvfy " + f).doesNotContain("Error -").doesNotContain("Warning -");
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  @Test
  void dcmdjpeg_and_tandems_reader_decode_every_jpeg_image_to_the_rendered_pixels()
      throws Exception {
    DicomImageReader reader = new DicomImageReader(DicomLimits.defaults());
    SampleGenerator generator = new SampleGenerator(options);
    int checked = 0;
    for (JsonNode s : manifest.get("studies")) {
      if (!s.has("image")
          || !s.get("image").get("transferSyntaxUid").asText().equals(JPEG_LOSSLESS)) {
        continue;
      }
      Path file = SET.resolve(s.get("files").get("dicom").asText());
      short[] rendered = generator.generate(s.get("index").asInt()).image().orElseThrow().pixels();
      DecodedImage tandem = reader.read(file);
      assertThat(tandem.frames().get(0)).as("Tandem reader " + file).isEqualTo(rendered);
      Path plain = dir.resolve("dcmdjpeg-" + s.get("id").asText() + ".dcm");
      assertThat(run("dcmdjpeg", file.toString(), plain.toString()).exit).isZero();
      assertThat(reader.read(plain).frames().get(0)).as("dcmdjpeg " + file).isEqualTo(rendered);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(8);
  }

  private static List<Path> images() throws IOException {
    return files(SET).stream().filter(p -> p.getFileName().toString().equals("image.dcm")).toList();
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private record Result(int exit, String out) {}

  private static Result run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }
}
