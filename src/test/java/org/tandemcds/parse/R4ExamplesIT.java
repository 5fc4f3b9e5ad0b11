package org.tandemcds.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.FhirNotes;
import org.tandemcds.nlp.TextSegmenter;

/**
 * Reads every file of the official FHIR R4 examples (npm {@code hl7.fhir.r4.examples@4.0.1}) and
 * checks the outcome of every DocumentReference, Composition and DiagnosticReport against an
 * independent walk of the same JSON with a plain JSON parser (Jackson's tree model).
 */
class R4ExamplesIT {
  private static final Set<String> TEXT_TYPES =
      Set.of(
          "text/plain", "text/html", "application/xhtml+xml", "text/markdown", "text/x-markdown");

  /** What the independent walk expects of one note-carrying resource. */
  private enum Expected {
    TEXT,
    NO_TEXT,
    UNSUPPORTED
  }

  private final ObjectMapper json = new ObjectMapper();

  @Test
  @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
  void every_note_resource_of_the_r4_examples_yields_a_note_or_a_coded_error() throws IOException {
    Path examples = examplesFolder();
    NoteReader reader = new NoteReader(new FhirNotes(new Fhir()), new TextSegmenter(), 50_000_000);
    Map<String, Integer> tally = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    List<Expected> expectedAll = new ArrayList<>();
    int files = 0;
    for (Path file : jsonFiles(examples)) {
      files++;
      byte[] bytes = Files.readAllBytes(file);
      JsonNode root = json.readTree(bytes);
      List<Expected> expected = new ArrayList<>();
      walk(root, expected);
      expectedAll.addAll(expected);
      check(reader, file, bytes, root, expected, tally, problems);
    }
    long withText = expectedAll.stream().filter(e -> e != Expected.NO_TEXT).count();
    System.out.printf(
        "R4 examples: %d files, %d note resources (%d with text by the independent walk), outcomes %s%n",
        files, expectedAll.size(), withText, tally);

    assertThat(problems).as("outcomes that disagree with the independent walk").isEmpty();
    assertThat(
            tally.getOrDefault("note", 0)
                + tally.getOrDefault("note:" + ErrorCode.NOTE_UNSUPPORTED_CONTENT_TYPE.code(), 0))
        .isEqualTo(withText);
    assertThat(tally.getOrDefault("note:" + ErrorCode.NOTE_WITHOUT_TEXT.code(), 0))
        .isEqualTo(count(expectedAll, Expected.NO_TEXT));
    assertThat(tally.getOrDefault("note:" + ErrorCode.NOTE_UNSUPPORTED_CONTENT_TYPE.code(), 0))
        .isEqualTo(count(expectedAll, Expected.UNSUPPORTED));
    assertThat(expectedAll).hasSize(38);
    assertThat(tally.get("note")).isPositive();
  }

  private static long count(List<Expected> all, Expected kind) {
    return all.stream().filter(kind::equals).count();
  }

  private static Path examplesFolder() {
    String folder = System.getenv("TANDEM_R4_EXAMPLES");
    assertThat(folder)
        .as(
            "TANDEM_R4_EXAMPLES must name the unpacked package/ folder of npm hl7.fhir.r4.examples@4.0.1"
                + " (./tandem test sets it; by hand: npm pack hl7.fhir.r4.examples@4.0.1, untar, export"
                + " TANDEM_R4_EXAMPLES=.../package)")
        .isNotBlank();
    Path path = Path.of(folder);
    assertThat(path.resolve("package.json"))
        .as("%s is not the examples package folder", path)
        .isRegularFile();
    return path;
  }

  private static List<Path> jsonFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }

  private static void check(
      NoteReader reader,
      Path file,
      byte[] bytes,
      JsonNode root,
      List<Expected> expected,
      Map<String, Integer> tally,
      List<String> problems) {
    String name = file.getFileName().toString();
    try {
      List<NoteOutcome> outcomes = reader.readEach(bytes, name);
      if (outcomes.size() != expected.size()) {
        problems.add(name + ": " + outcomes.size() + " outcomes, walk expects " + expected.size());
        return;
      }
      for (int i = 0; i < outcomes.size(); i++) {
        checkOutcome(name, outcomes.get(i), expected.get(i), tally, problems);
      }
    } catch (CdsException e) {
      tally.merge("file:" + e.code().code(), 1, Integer::sum);
      ErrorCode wanted =
          root.hasNonNull("resourceType")
              ? ErrorCode.FHIR_WRONG_RESOURCE_TYPE
              : ErrorCode.FHIR_MALFORMED;
      if (!expected.isEmpty() || e.code() != wanted) {
        problems.add(name + ": " + e.getMessage());
      }
    } catch (RuntimeException e) {
      problems.add(name + ": uncaught " + e);
    }
  }

  private static void checkOutcome(
      String name,
      NoteOutcome outcome,
      Expected expected,
      Map<String, Integer> tally,
      List<String> problems) {
    if (outcome.note().isPresent()) {
      tally.merge("note", 1, Integer::sum);
      ClinicalNote note = outcome.note().get();
      if (expected != Expected.TEXT || !spansAreSound(note)) {
        problems.add(name + " " + outcome.sourceReference() + ": note, walk expects " + expected);
      }
      return;
    }
    ErrorCode code = outcome.failure().orElseThrow().code();
    tally.merge("note:" + code.code(), 1, Integer::sum);
    boolean agrees =
        switch (expected) {
          case NO_TEXT -> code == ErrorCode.NOTE_WITHOUT_TEXT;
          case UNSUPPORTED -> code == ErrorCode.NOTE_UNSUPPORTED_CONTENT_TYPE;
          case TEXT ->
              code != ErrorCode.NOTE_WITHOUT_TEXT
                  && code != ErrorCode.NOTE_UNSUPPORTED_CONTENT_TYPE;
        };
    if (!agrees) {
      problems.add(
          name
              + " "
              + outcome.sourceReference()
              + ": "
              + code.code()
              + ", walk expects "
              + expected);
    }
  }

  private static boolean spansAreSound(ClinicalNote note) {
    String text = note.text();
    boolean sentences =
        note.sentences().stream().allMatch(s -> s.end() <= text.length() && !s.of(text).isBlank());
    boolean tokens =
        note.tokens().stream()
            .allMatch(
                t ->
                    note.sentences().stream().anyMatch(s -> within(t, s))
                        && t.of(text).equals(t.of(text).strip()));
    return !text.isBlank() && !note.sentences().isEmpty() && sentences && tokens;
  }

  private static boolean within(TextSpan inner, TextSpan outer) {
    return outer.start() <= inner.start() && inner.end() <= outer.end();
  }

  /** The independent walk: note-carrying resources in document order, nested Bundles included. */
  private static void walk(JsonNode resource, List<Expected> out) {
    switch (resource.path("resourceType").asText()) {
      case "Bundle" -> resource.path("entry").forEach(e -> walk(e.path("resource"), out));
      case "DocumentReference" -> {
        List<JsonNode> attachments = new ArrayList<>();
        resource.path("content").forEach(c -> attachments.add(c.path("attachment")));
        out.add(attachments(attachments));
      }
      case "Composition" ->
          out.add(anySectionText(resource.path("section")) ? Expected.TEXT : Expected.NO_TEXT);
      case "DiagnosticReport" -> out.add(report(resource));
      default -> {}
    }
  }

  private static Expected report(JsonNode report) {
    if (report.path("presentedForm").size() > 0) {
      List<JsonNode> attachments = new ArrayList<>();
      report.path("presentedForm").forEach(attachments::add);
      return attachments(attachments);
    }
    String status = report.path("text").path("status").asText();
    boolean authored =
        (status.equals("additional") || status.equals("extensions"))
            && report.path("text").has("div");
    return authored || !report.path("conclusion").asText().isBlank()
        ? Expected.TEXT
        : Expected.NO_TEXT;
  }

  private static Expected attachments(List<JsonNode> attachments) {
    boolean content = attachments.stream().anyMatch(a -> a.has("data") || a.has("url"));
    boolean noneText =
        attachments.stream()
            .allMatch(
                a ->
                    a.has("contentType")
                        && !TEXT_TYPES.contains(baseType(a.path("contentType").asText())));
    return !content ? Expected.NO_TEXT : noneText ? Expected.UNSUPPORTED : Expected.TEXT;
  }

  private static String baseType(String contentType) {
    return contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
  }

  private static boolean anySectionText(JsonNode sections) {
    for (JsonNode section : sections) {
      if (section.path("text").has("div") || anySectionText(section.path("section"))) {
        return true;
      }
    }
    return false;
  }
}
