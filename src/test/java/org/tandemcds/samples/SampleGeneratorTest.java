package org.tandemcds.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.dicom.SyntheticImageWriter;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.SampleBundleWriter;

class SampleGeneratorTest {
  private static final Fhir FHIR = new Fhir();
  private static final int COUNT = 12;
  @TempDir static Path dir;
  private static Path first;
  private static Path second;

  @BeforeAll
  static void generate() {
    first = write(dir.resolve("a"), 5, 1);
    second = write(dir.resolve("b"), 5, 3);
  }

  private static Path write(Path out, long seed, int threads) {
    return write(out, seed, threads, false);
  }

  private static Path write(Path out, long seed, int threads, boolean withoutFindings) {
    SampleOptions o = SampleOptions.defaults(seed).withSides(192, 256);
    new SampleSetWriter(
            new SampleGenerator(o),
            new SyntheticImageWriter()::write,
            new SampleBundleWriter(FHIR)::write,
            withoutFindings)
        .write(out, 0, COUNT, "manifest.json", o, threads, i -> {});
    return out;
  }

  @Test
  void with_without_findings_each_study_with_a_finding_gets_its_image_rendered_without_them()
      throws IOException {
    Path set = write(dir.resolve("clear"), 5, 2, true);
    SampleGenerator g = new SampleGenerator(SampleOptions.defaults(5).withSides(192, 256));
    var reader =
        new org.tandemcds.dicom.DicomImageReader(org.tandemcds.dicom.DicomLimits.defaults());
    var manifest =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(set.resolve("manifest.json").toFile());
    assertThat(manifest.path("generator").path("withoutFindings").asBoolean()).isTrue();
    // without the option nothing changes: no such file, no such key (old manifests stay as they
    // are)
    assertThat(files(first)).noneMatch(f -> f.endsWith(SampleSetWriter.WITHOUT_FINDINGS));
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(first.resolve("manifest.json").toFile())
                .path("generator")
                .has("withoutFindings"))
        .isFalse();
    int written = 0;
    int differing = 0;
    int compactChecked = 0;
    for (var entry : manifest.path("studies")) {
      SampleStudy s = g.generate(entry.path("index").asInt());
      boolean anyFinding = false;
      for (Finding f : Finding.values()) {
        anyFinding |= s.latent().has(f);
      }
      Path clear = set.resolve(s.id()).resolve(SampleSetWriter.WITHOUT_FINDINGS);
      boolean expected = s.image().isPresent() && anyFinding;
      assertThat(Files.exists(clear)).as(s.id()).isEqualTo(expected);
      assertThat(entry.has("dicomWithoutFindings")).as(s.id()).isEqualTo(expected);
      if (!expected) {
        continue;
      }
      assertThat(entry.path("dicomWithoutFindings").asText())
          .isEqualTo(s.id() + "/" + SampleSetWriter.WITHOUT_FINDINGS);
      var study = reader.read(set.resolve(s.id()).resolve("image.dcm"));
      var without = reader.read(clear);
      RenderedImage rendered = g.renderWithoutFindings(s.latent().index());
      // the stored values are those of the study rendered without findings
      assertThat(without.frames().get(0)).containsExactly(rendered.pixels());
      // same study and series, same acquisition; an instance of its own
      assertThat(without.studyInstanceUid()).isEqualTo(study.studyInstanceUid());
      assertThat(without.seriesInstanceUid()).isEqualTo(study.seriesInstanceUid());
      assertThat(without.sopInstanceUid()).isNotEqualTo(study.sopInstanceUid());
      assertThat(without.transferSyntaxUid()).isEqualTo(study.transferSyntaxUid());
      assertThat(without.pixels()).usingRecursiveComparison().isEqualTo(study.pixels());
      // the heart is made normal only where it was enlarged
      double ctr = s.latent().lesions().trueCtr();
      assertThat(s.latent().withoutFindings().lesions().trueCtr())
          .isEqualTo(s.latent().has(Finding.CARDIOMEGALY) ? LatentCase.NORMAL_CTR : ctr);
      // for compact findings (an enlarged heart, a nodule), the pixels that differ lie near their
      // masks: nothing else in the image changed (an effusion's, a pneumothorax's or a
      // consolidation's rendering reaches beyond its mask, so they are not checked this way)
      short[] a = study.frames().get(0);
      short[] b = without.frames().get(0);
      RenderedImage im = s.image().get();
      boolean compact = true;
      for (Finding f : Finding.values()) {
        compact &= !s.latent().has(f) || f == Finding.CARDIOMEGALY || f == Finding.NODULE_MASS;
      }
      int margin = Math.max(2, im.columns() / 20);
      for (int y = 0; y < im.rows(); y++) {
        for (int x = 0; x < im.columns(); x++) {
          if (a[y * im.columns() + x] != b[y * im.columns() + x]) {
            differing++;
            if (compact) {
              assertThat(nearMask(im, x, y, margin)).as("%s (%d,%d)", s.id(), x, y).isTrue();
              compactChecked++;
            }
          }
        }
      }
      written++;
    }
    assertThat(written).isGreaterThanOrEqualTo(3);
    assertThat(differing).isPositive();
    assertThat(compactChecked).isPositive();
  }

  private static boolean nearMask(RenderedImage im, int x, int y, int margin) {
    for (LesionMask m : im.masks().values()) {
      for (int dy = -margin; dy <= margin; dy++) {
        for (int dx = -margin; dx <= margin; dx++) {
          int xx = x + dx;
          int yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < im.columns() && yy < im.rows() && m.contains(xx, yy)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void same_seed_writes_byte_identical_files_on_one_thread_and_on_three() throws IOException {
    List<Path> a = files(first);
    List<Path> b = files(second);
    assertThat(a).hasSameSizeAs(b).isNotEmpty();
    for (int i = 0; i < a.size(); i++) {
      assertThat(first.relativize(a.get(i))).isEqualTo(second.relativize(b.get(i)));
      assertThat(Files.readAllBytes(a.get(i))).isEqualTo(Files.readAllBytes(b.get(i)));
    }
  }

  @Test
  void different_seed_writes_different_studies() throws IOException {
    Path other = write(dir.resolve("c"), 6, 2);
    assertThat(Files.readString(other.resolve("manifest.json")))
        .isNotEqualTo(Files.readString(first.resolve("manifest.json")));
  }

  @Test
  void dcmdump_reads_every_image_and_dciodvfy_reports_no_error() throws Exception {
    int checked = 0;
    for (Path f : files(first)) {
      if (!f.getFileName().toString().equals("image.dcm")) {
        continue;
      }
      Result dump = run("dcmdump", f.toString());
      assertThat(dump.exit).as("dcmdump " + f).isZero();
      // dciodvfy cannot read deflated files: inflate those with DCMTK first
      Path plain = f;
      if (dump.out.contains("=DeflatedLittleEndianExplicit")) {
        plain = dir.resolve("inflated-" + f.getParent().getFileName() + ".dcm");
        assertThat(run("dcmconv", "+te", f.toString(), plain.toString()).exit).isZero();
      }
      Result v = run("dciodvfy", plain.toString());
      assertThat(v.out).as("dciodvfy " + f).doesNotContain("Error -");
      checked++;
    }
    assertThat(checked).isGreaterThan(COUNT / 2);
  }

  private record Result(int exit, String out) {}

  private static Result run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  @Test
  void bundle_parses_with_hapi_and_note_spans_match_the_note_text() throws IOException {
    SampleGenerator g = new SampleGenerator(SampleOptions.defaults(5).withSides(96, 96));
    int spans = 0;
    for (int i = 0; i < COUNT; i++) {
      SampleStudy s = g.generate(i);
      Bundle b =
          (Bundle)
              FHIR.context()
                  .newJsonParser()
                  .parseResource(Files.readString(first.resolve(s.id()).resolve("bundle.json")));
      List<String> types =
          b.getEntry().stream().map(e -> e.getResource().getClass().getSimpleName()).toList();
      assertThat(types).contains("Patient", "ServiceRequest");
      Patient p = (Patient) b.getEntryFirstRep().getResource();
      assertThat(p.getIdentifierFirstRep().getValue()).isEqualTo(s.latent().patient().id());
      assertThat(types.contains("ImagingStudy")).isEqualTo(s.image().isPresent());
      assertThat(types.contains("DocumentReference")).isEqualTo(s.note().isPresent());
      if (s.note().isPresent()) {
        DocumentReference d =
            (DocumentReference) b.getEntry().get(b.getEntry().size() - 1).getResource();
        String text =
            new String(d.getContentFirstRep().getAttachment().getData(), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(s.note().get().text());
        for (NoteSpan sp : s.note().get().spans()) {
          assertThat(text.substring(sp.start(), sp.end())).isEqualTo(sp.text());
          spans++;
        }
      }
    }
    assertThat(spans).isPositive();
  }

  @Test
  void label_prevalence_over_400_studies_is_within_the_documented_ranges() {
    LatentSampler sampler = new LatentSampler(SampleOptions.defaults(11));
    int n = 400;
    int[] count = new int[Finding.values().length];
    int normal = 0;
    for (int i = 0; i < n; i++) {
      LatentCase c = sampler.sample(i);
      boolean any = false;
      for (Finding f : Finding.values()) {
        count[f.ordinal()] += c.has(f) ? 1 : 0;
        any |= c.has(f);
      }
      normal += any ? 0 : 1;
    }
    // documented: cardiomegaly 8-22%, effusion 7-20%, pneumothorax 5-13%, nodule 6-18%,
    // consolidation 10-23%, normal 35-65%
    double[][] ranges = {{0.08, 0.22}, {0.07, 0.20}, {0.05, 0.13}, {0.06, 0.18}, {0.10, 0.23}};
    for (Finding f : Finding.values()) {
      assertThat(count[f.ordinal()] / (double) n)
          .as(f.key())
          .isBetween(ranges[f.ordinal()][0], ranges[f.ordinal()][1]);
    }
    assertThat(normal / (double) n).isBetween(0.35, 0.65);
  }

  @Test
  void masks_lie_in_the_image_and_in_the_right_hemithorax_and_change_the_pixels() {
    SampleGenerator g = new SampleGenerator(SampleOptions.defaults(21).withSides(256, 256));
    List<String> checked = new ArrayList<>();
    for (int i = 0; i < 60 && checked.size() < 12; i++) {
      SampleStudy s = g.generate(i);
      if (s.image().isEmpty()) {
        continue;
      }
      RenderedImage im = s.image().get();
      RenderedImage clear = g.renderWithoutFindings(i);
      for (LesionMask m : im.masks().values()) {
        if (s.latent().imageEvidence().get(m.finding()) != ImageEvidence.VISIBLE) {
          continue;
        }
        checkMask(s, im, clear, m);
        checked.add(s.id() + " " + m.finding().key());
      }
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void every_mask_png_holds_exactly_the_pixels_the_mask_contains() throws IOException {
    SampleGenerator g = new SampleGenerator(SampleOptions.defaults(5).withSides(192, 256));
    int masks = 0;
    for (int i = 0; i < COUNT; i++) {
      SampleStudy s = g.generate(i);
      for (LesionMask m : s.image().map(RenderedImage::masks).orElse(Map.of()).values()) {
        Path png = first.resolve(s.id()).resolve("mask-" + m.finding().key() + ".png");
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(png.toFile());
        assertThat(b.getWidth()).isEqualTo(m.columns());
        for (int y = 0; y < m.rows(); y++) {
          for (int x = 0; x < m.columns(); x++) {
            boolean white = (b.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF;
            assertThat(white)
                .as("%s %s (%d,%d)", s.id(), m.finding(), x, y)
                .isEqualTo(m.contains(x, y));
          }
        }
        masks++;
      }
    }
    assertThat(masks).isPositive();
  }

  private static void checkMask(
      SampleStudy s, RenderedImage im, RenderedImage clear, LesionMask m) {
    int[] box = m.box();
    assertThat(box).as(s.id() + " " + m.finding()).isNotNull();
    assertThat(box[0]).isGreaterThanOrEqualTo(0);
    assertThat(box[2]).isLessThan(im.columns());
    assertThat(box[3]).isLessThan(im.rows());
    double sum = 0;
    double clearSum = 0;
    int n = 0;
    int wrongSide = 0;
    Side side = side(s.latent(), m.finding());
    for (int y = 0; y < im.rows(); y++) {
      double mid = im.midlineTopX() + (im.midlineBottomX() - im.midlineTopX()) * y / im.rows();
      for (int x = 0; x < im.columns(); x++) {
        if (m.contains(x, y)) {
          sum += im.pixels()[y * im.columns() + x] & 0xFFFF;
          clearSum += clear.pixels()[y * im.columns() + x] & 0xFFFF;
          n++;
          boolean imageLeft = x < mid;
          wrongSide += side != null && imageLeft != (side == Side.RIGHT) ? 1 : 0;
        }
      }
    }
    assertThat(wrongSide).as(s.id() + " " + m.finding() + " outside its hemithorax").isZero();
    double max = (1 << s.latent().acquisition().bitsStored()) - 1;
    // a visible finding moves the mean inside its mask by more than 1% of the stored range
    assertThat(Math.abs(sum - clearSum) / n / max)
        .as(s.id() + " " + m.finding())
        .isGreaterThan(0.01);
  }

  private static Side side(LatentCase c, Finding f) {
    Lesions l = c.lesions();
    return switch (f) {
      case PLEURAL_EFFUSION -> l.effusions().size() == 1 ? l.effusions().get(0).side() : null;
      case PNEUMOTHORAX -> l.pneumothorax().get(0).side();
      case NODULE_MASS, CONSOLIDATION ->
          l.opacities().stream().filter(o -> o.finding() == f).findFirst().orElseThrow().side();
      default -> null;
    };
  }
}
