package org.tandemcds.parse;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.NoteSection;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.FhirNotes;
import org.tandemcds.nlp.TextSegmenter;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoteReaderTest {
  private final NoteReader reader =
      new NoteReader(new FhirNotes(new Fhir()), new TextSegmenter(), 1_000_000);

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }

  private static String documentReference(String attachmentJson) {
    return """
        {"resourceType": "DocumentReference", "id": "doc1", "status": "current",
         "subject": {"identifier": {"system": "http://hospital.example.org/mrn", "value": "12345"}},
         "date": "2025-01-02T10:00:00Z",
         "author": [{"display": "Dr. Reader"}],
         "content": [{"attachment": %s}]}
        """
        .formatted(attachmentJson);
  }

  private ClinicalNote single(String resource) {
    List<ClinicalNote> notes = reader.read(resource.getBytes(UTF_8), "test.json");
    assertThat(notes).hasSize(1);
    assertWellFormed(notes.get(0));
    return notes.get(0);
  }

  private static List<String> texts(ClinicalNote note, List<TextSpan> spans) {
    return spans.stream().map(s -> s.of(note.text())).toList();
  }

  private static List<String> titles(ClinicalNote note) {
    return note.sections().stream().map(NoteSection::title).toList();
  }

  private CdsException failure(String resource) {
    try {
      reader.read(resource.getBytes(UTF_8), "bad.json");
    } catch (CdsException e) {
      return e;
    }
    throw new AssertionError("no CdsException");
  }

  /** Sentences lie in the text, in order, cross no blank line and no section start; tokens too. */
  private static void assertWellFormed(ClinicalNote note) {
    String text = note.text();
    int previousEnd = 0;
    for (TextSpan sentence : note.sentences()) {
      assertThat(sentence.start()).isGreaterThanOrEqualTo(previousEnd);
      assertThat(sentence.end()).isLessThanOrEqualTo(text.length());
      assertThat(sentence.of(text)).isEqualTo(sentence.of(text).strip()).isNotEmpty();
      assertThat(sentence.of(text)).doesNotContainPattern("\\n[ \\t]*\\n");
      for (NoteSection section : note.sections()) {
        boolean crossesStart =
            sentence.start() < section.span().start() && section.span().start() < sentence.end();
        assertThat(crossesStart).as("sentence crosses start of %s", section.title()).isFalse();
      }
      previousEnd = sentence.end();
    }
    for (TextSpan token : note.tokens()) {
      assertThat(token.of(text)).isEqualTo(token.of(text).strip()).isNotEmpty();
      assertThat(note.sentences())
          .anyMatch(s -> s.start() <= token.start() && token.end() <= s.end());
    }
  }

  @Test
  void base64_plain_text_becomes_the_note_text_with_label_sections_and_exact_spans() {
    String report =
        "HISTORY: Cough for two weeks.\r\n\r\nIMPRESSION:\nNo acute disease. Follow up in 6 weeks.\n";
    ClinicalNote note =
        single(
            documentReference(
                "{\"contentType\": \"text/plain\", \"data\": \"" + b64(report) + "\"}"));

    String expected =
        "HISTORY: Cough for two weeks.\n\nIMPRESSION:\nNo acute disease. Follow up in 6 weeks.";
    assertThat(note.text()).isEqualTo(expected);
    assertThat(note.sections())
        .containsExactly(
            new NoteSection("HISTORY", new TextSpan(0, 29)),
            new NoteSection("IMPRESSION", new TextSpan(31, expected.length())));
    assertThat(texts(note, note.sentences()))
        .containsExactly(
            "HISTORY:",
            "Cough for two weeks.",
            "IMPRESSION:",
            "No acute disease.",
            "Follow up in 6 weeks.");
    assertThat(note.sentences().get(1)).isEqualTo(new TextSpan(9, 29));
    assertThat(texts(note, note.tokens()))
        .containsExactly(
            "HISTORY",
            ":",
            "Cough",
            "for",
            "two",
            "weeks",
            ".",
            "IMPRESSION",
            ":",
            "No",
            "acute",
            "disease",
            ".",
            "Follow",
            "up",
            "in",
            "6",
            "weeks",
            ".");
    assertThat(note.tokens().get(2)).isEqualTo(new TextSpan(9, 14));
    assertThat(note.sourceReference()).isEqualTo("DocumentReference/doc1");
    assertThat(note.patientIdentifiers())
        .containsExactly(new Identifier("http://hospital.example.org/mrn", "12345"));
    assertThat(note.date()).isEqualTo("2025-01-02T10:00:00Z");
    assertThat(note.author()).isEqualTo("Dr. Reader");
  }

  @Test
  void xml_resource_reads_like_its_json_twin() {
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <DocumentReference xmlns="http://hl7.org/fhir">
          <id value="doc1"/>
          <status value="current"/>
          <subject><identifier><system value="http://hospital.example.org/mrn"/><value value="12345"/></identifier></subject>
          <content><attachment><contentType value="text/plain"/><data value="%s"/></attachment></content>
        </DocumentReference>
        """
            .formatted(b64("Findings: Lungs are clear.\n\nNo effusion."));

    List<ClinicalNote> notes = reader.read(xml.getBytes(UTF_8), "note.xml");

    assertThat(notes).hasSize(1);
    assertThat(notes.get(0).text()).isEqualTo("Findings: Lungs are clear.\n\nNo effusion.");
    assertThat(texts(notes.get(0), notes.get(0).sentences()))
        .containsExactly("Findings:", "Lungs are clear.", "No effusion.");
    assertThat(titles(notes.get(0))).containsExactly("Findings");
    assertThat(notes.get(0).sourceReference()).isEqualTo("DocumentReference/doc1");
  }

  @Test
  void iso_8859_1_charset_parameter_decodes_non_ascii_characters() {
    String words = "Patient äußert Schmerzen. Befund: Ödem, 37° Fieber.";
    String data = Base64.getEncoder().encodeToString(words.getBytes(ISO_8859_1));

    ClinicalNote note =
        single(
            documentReference(
                "{\"contentType\": \"text/plain; charset=ISO-8859-1\", \"data\": \""
                    + data
                    + "\"}"));

    assertThat(note.text()).isEqualTo(words);
    assertThat(texts(note, note.sentences()))
        .containsExactly("Patient äußert Schmerzen.", "Befund: Ödem, 37° Fieber.");
    assertThat(texts(note, note.tokens())).contains("äußert", "Ödem");
  }

  @Test
  void latin_1_bytes_without_charset_are_invalid_utf_8() {
    String data = Base64.getEncoder().encodeToString("Ödem".getBytes(ISO_8859_1));

    CdsException e =
        failure(documentReference("{\"contentType\": \"text/plain\", \"data\": \"" + data + "\"}"));

    assertThat(e.code()).isEqualTo(ErrorCode.NOTE_BYTES_INVALID);
    assertThat(e.detail()).contains("bad.json").contains("DocumentReference/doc1");
  }

  @Test
  void unknown_charset_is_reported() {
    CdsException e =
        failure(
            documentReference(
                "{\"contentType\": \"text/plain; charset=x-no-such\", \"data\": \""
                    + b64("a")
                    + "\"}"));

    assertThat(e.code()).isEqualTo(ErrorCode.NOTE_CHARSET_UNSUPPORTED);
  }

  @Test
  void html_keeps_paragraphs_and_list_items_and_decodes_entities() {
    String html =
        "<html><head><title>x</title><style>p{}</style></head><body>"
            + "<h2>Findings</h2><p>Heart size &lt; normal &amp;   lungs\n clear.</p>"
            + "<ul><li>No effusion</li><li>No pneumothorax</li></ul>"
            + "<ol><li>First</li><li>Second<br>line</li></ol>"
            + "<!-- hidden --><p>Caf&eacute; &#x2013; &#8212; &nbsp;end&amp</p></body></html>";

    ClinicalNote note =
        single(
            documentReference("{\"contentType\": \"text/html\", \"data\": \"" + b64(html) + "\"}"));

    String expected =
        "Findings\n\nHeart size < normal & lungs clear.\n\n- No effusion\n- No pneumothorax\n\n"
            + "1. First\n2. Second\nline\n\nCafé – — end&";
    assertThat(note.text()).isEqualTo(expected);
    assertThat(note.sections())
        .containsExactly(new NoteSection("Findings", new TextSpan(0, expected.length())));
    assertThat(texts(note, note.sentences()))
        .containsExactly(
            "Findings",
            "Heart size < normal & lungs clear.",
            "- No effusion",
            "- No pneumothorax",
            "1. First",
            "2. Second\nline",
            "Café – — end&");
  }

  @Test
  void markdown_loses_its_markup_but_keeps_words_headings_and_items() {
    String markdown =
        "# Report\n\n## Findings\n\nThe **lungs** are _clear_. See [prior](http://x/1).\n\n"
            + "* item one\n* item `two`\n\nImpression\n----------\n\nNormal \\*chest\\*.\n";

    ClinicalNote note =
        single(
            documentReference(
                "{\"contentType\": \"text/markdown\", \"data\": \"" + b64(markdown) + "\"}"));

    String expected =
        "Report\n\nFindings\n\nThe lungs are clear. See prior.\n\n- item one\n- item two\n\nImpression\n\nNormal *chest*.";
    assertThat(note.text()).isEqualTo(expected);
    assertThat(titles(note)).containsExactly("Report", "Findings", "Impression");
    assertThat(note.sections().get(1).span())
        .isEqualTo(new TextSpan(expected.indexOf("Findings"), expected.indexOf("- item two") + 10));
    assertThat(texts(note, note.sentences()))
        .containsExactly(
            "Report",
            "Findings",
            "The lungs are clear.",
            "See prior.",
            "- item one",
            "- item two",
            "Impression",
            "Normal *chest*.");
  }

  @Test
  void x_markdown_is_markdown_too() {
    ClinicalNote note =
        single(
            documentReference(
                "{\"contentType\": \"text/x-markdown\", \"data\": \""
                    + b64("## Plan\nRepeat **CT**.")
                    + "\"}"));

    assertThat(note.text()).isEqualTo("Plan\n\nRepeat CT.");
    assertThat(titles(note)).containsExactly("Plan");
  }

  @Test
  void contained_binary_is_read_through_its_hash_url() {
    String resource =
        """
        {"resourceType": "DocumentReference", "id": "doc2", "status": "current",
         "contained": [{"resourceType": "Binary", "id": "b1", "contentType": "text/plain", "data": "%s"}],
         "content": [{"attachment": {"contentType": "text/plain", "url": "#b1"}}]}
        """
            .formatted(b64("Contained text."));

    assertThat(single(resource).text()).isEqualTo("Contained text.");
  }

  @Test
  void bundled_binary_is_found_by_relative_reference_or_full_url() {
    String bundle =
        """
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"fullUrl": "http://example.org/fhir/DocumentReference/d1",
           "resource": {"resourceType": "DocumentReference", "id": "d1", "status": "current",
             "content": [{"attachment": {"url": "Binary/b2"}}]}},
          {"fullUrl": "urn:uuid:6f1c1f0e-0000-4000-8000-000000000001",
           "resource": {"resourceType": "DocumentReference", "status": "current",
             "content": [{"attachment": {"contentType": "text/plain", "url": "urn:uuid:6f1c1f0e-0000-4000-8000-000000000002"}}]}},
          {"fullUrl": "http://example.org/fhir/Binary/b2",
           "resource": {"resourceType": "Binary", "id": "b2", "contentType": "text/plain; charset=UTF-8", "data": "%s"}},
          {"fullUrl": "urn:uuid:6f1c1f0e-0000-4000-8000-000000000002",
           "resource": {"resourceType": "Binary", "contentType": "text/plain", "data": "%s"}}
        ]}
        """
            .formatted(b64("First binary."), b64("Second binary."));

    List<ClinicalNote> notes = reader.read(bundle.getBytes(UTF_8), "bundle.json");

    assertThat(notes)
        .extracting(ClinicalNote::text)
        .containsExactly("First binary.", "Second binary.");
    assertThat(notes)
        .extracting(ClinicalNote::sourceReference)
        .containsExactly("DocumentReference/d1", "urn:uuid:6f1c1f0e-0000-4000-8000-000000000001");
  }

  @Test
  void composition_sections_and_nested_sections_become_sections_in_document_order() {
    String composition =
        """
        {"resourceType": "Composition", "id": "c1", "status": "final",
         "type": {"text": "Discharge summary"}, "date": "2025-03-04", "title": "Summary",
         "author": [{"reference": "Practitioner/p9"}],
         "section": [
           {"title": "History", "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\"><p>Fell from a ladder.</p></div>"},
            "section": [{"title": "Medications", "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Aspirin daily. No allergies.</div>"}}]},
           {"title": "Plan", "text": {"status": "additional", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Rest.</div>"}}
         ]}
        """;

    ClinicalNote note = single(composition);

    String expected =
        "History\nFell from a ladder.\n\nMedications\nAspirin daily. No allergies.\n\nPlan\nRest.";
    assertThat(note.text()).isEqualTo(expected);
    assertThat(note.sections())
        .containsExactly(
            new NoteSection("History", new TextSpan(0, 27)),
            new NoteSection("Medications", new TextSpan(29, 69)),
            new NoteSection("Plan", new TextSpan(71, 81)));
    assertThat(texts(note, note.sentences()))
        .containsExactly(
            "History",
            "Fell from a ladder.",
            "Medications",
            "Aspirin daily.",
            "No allergies.",
            "Plan",
            "Rest.");
    assertThat(note.sourceReference()).isEqualTo("Composition/c1");
    assertThat(note.date()).isEqualTo("2025-03-04");
    assertThat(note.author()).isEqualTo("Practitioner/p9");
  }

  @Test
  void composition_without_any_section_narrative_has_no_text() {
    CdsException e =
        failure(
            "{\"resourceType\": \"Composition\", \"id\": \"c2\", \"status\": \"final\", \"section\": [{\"title\": \"Empty\"}]}");

    assertThat(e.code()).isEqualTo(ErrorCode.NOTE_WITHOUT_TEXT);
    assertThat(e.detail()).contains("Composition/c2");
  }

  @Test
  void diagnostic_report_presented_form_is_its_text() {
    String report =
        """
        {"resourceType": "DiagnosticReport", "id": "r1", "status": "final", "code": {"text": "CXR"},
         "effectiveDateTime": "2025-05-06T07:08:09Z",
         "resultsInterpreter": [{"display": "Dr. Rad"}],
         "conclusion": "Not used when there is a presentedForm.",
         "presentedForm": [
           {"contentType": "application/pdf", "data": "JVBERi0xLjQK"},
           {"contentType": "text/plain", "data": "%s"}]}
        """
            .formatted(b64("FINDINGS: Small left effusion.\nIMPRESSION: Effusion."));

    ClinicalNote note = single(report);

    assertThat(note.text()).isEqualTo("FINDINGS: Small left effusion.\nIMPRESSION: Effusion.");
    assertThat(titles(note)).containsExactly("FINDINGS", "IMPRESSION");
    assertThat(texts(note, note.sentences()))
        .containsExactly("FINDINGS:", "Small left effusion.", "IMPRESSION:", "Effusion.");
    assertThat(note.date()).isEqualTo("2025-05-06T07:08:09Z");
    assertThat(note.author()).isEqualTo("Dr. Rad");
  }

  @Test
  void diagnostic_report_without_presented_form_uses_its_conclusion_not_its_generated_narrative() {
    String report =
        """
        {"resourceType": "DiagnosticReport", "id": "r2", "status": "final", "code": {"text": "CT"},
         "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\"><p><b>id</b>: r2</p></div>"},
         "conclusion": "Large tumor of the clivus."}
        """;

    assertThat(single(report).text()).isEqualTo("Large tumor of the clivus.");
  }

  @Test
  void diagnostic_report_authored_narrative_is_its_text() {
    String report =
        """
        {"resourceType": "DiagnosticReport", "id": "r3", "status": "final", "code": {"text": "Pap"},
         "text": {"status": "additional", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\"><p>Specimen adequate.<br/>Atypical cells.</p></div>"}}
        """;

    assertThat(single(report).text()).isEqualTo("Specimen adequate.\nAtypical cells.");
  }

  @Test
  void diagnostic_report_with_only_a_generated_narrative_has_no_text() {
    String report =
        """
        {"resourceType": "DiagnosticReport", "id": "r4", "status": "final", "code": {"text": "Lipids"},
         "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\">table</div>"}}
        """;

    assertThat(failure(report).code()).isEqualTo(ErrorCode.NOTE_WITHOUT_TEXT);
  }

  @Test
  void bundle_with_two_patients_gives_each_note_its_own_patient_and_accession_numbers() {
    String bundle =
        """
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"fullUrl": "http://example.org/fhir/Patient/p1", "resource": {"resourceType": "Patient", "id": "p1",
             "identifier": [{"system": "http://hospital.example.org/mrn", "value": "111"}]}},
          {"fullUrl": "http://example.org/fhir/Patient/p2", "resource": {"resourceType": "Patient", "id": "p2",
             "identifier": [{"system": "http://hospital.example.org/mrn", "value": "222"}, {"value": "alt-222"}]}},
          {"resource": {"resourceType": "ServiceRequest", "id": "o1", "status": "active", "intent": "order",
             "subject": {"reference": "Patient/p1"},
             "identifier": [
               {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "ACSN"}]},
                "system": "http://hospital.example.org/acsn", "value": "ACC-1"},
               {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PLAC"}]},
                "value": "ORDER-1"}]}},
          {"resource": {"resourceType": "ImagingStudy", "id": "s2", "status": "available",
             "subject": {"reference": "http://example.org/fhir/Patient/p2"},
             "identifier": [{"system": "urn:dicom:uid", "value": "urn:oid:1.2.3.4"}, {"value": "ACC-2"}]}},
          {"resource": {"resourceType": "DocumentReference", "id": "n1", "status": "current",
             "subject": {"reference": "Patient/p1"},
             "content": [{"attachment": {"contentType": "text/plain", "data": "%s"}}]}},
          {"resource": {"resourceType": "DocumentReference", "id": "n2", "status": "current",
             "subject": {"reference": "Patient/p2"},
             "context": {"related": [{"identifier": {"type": {"coding": [{"code": "ACSN"}]}, "value": "ACC-9"}},
                                     {"reference": "Patient/p2", "identifier": {"value": "not-an-accession"}}]},
             "content": [{"attachment": {"contentType": "text/plain", "data": "%s"}}]}}
        ]}
        """
            .formatted(b64("Note of the first patient."), b64("Note of the second patient."));

    List<ClinicalNote> notes = reader.read(bundle.getBytes(UTF_8), "two-patients.json");

    assertThat(notes).hasSize(2);
    assertThat(notes.get(0).patientIdentifiers())
        .containsExactly(new Identifier("http://hospital.example.org/mrn", "111"));
    assertThat(notes.get(0).accessionNumbers())
        .containsExactly(new Identifier("http://hospital.example.org/acsn", "ACC-1"));
    assertThat(notes.get(1).patientIdentifiers())
        .containsExactly(
            new Identifier("http://hospital.example.org/mrn", "222"),
            new Identifier("", "alt-222"));
    assertThat(notes.get(1).accessionNumbers())
        .containsExactly(new Identifier("", "ACC-9"), new Identifier("", "ACC-2"));
  }

  @Test
  void malformed_json_is_a_coded_error_naming_the_file() {
    CdsException e = failure("{\"resourceType\": \"DocumentReference\", \"id\": ");

    assertThat(e.code()).isEqualTo(ErrorCode.FHIR_MALFORMED);
    assertThat(e.detail()).contains("bad.json");
  }

  @Test
  void xml_that_is_not_fhir_is_malformed_fhir() {
    CdsException e = failure("<html><body><p>Hello</p></body></html>");

    assertThat(e.code()).isEqualTo(ErrorCode.FHIR_MALFORMED);
    assertThat(e.detail()).contains("bad.json");
  }

  @Test
  void text_that_is_neither_json_nor_xml_is_malformed() {
    assertThat(failure("Just a note.").code()).isEqualTo(ErrorCode.FHIR_MALFORMED);
  }

  @Test
  void unknown_resource_type_is_malformed_and_a_non_note_resource_is_the_wrong_type() {
    assertThat(failure("{\"resourceType\": \"NoSuchThing\"}").code())
        .isEqualTo(ErrorCode.FHIR_MALFORMED);
    CdsException e =
        failure(
            "{\"resourceType\": \"Observation\", \"status\": \"final\", \"code\": {\"text\": \"x\"}}");
    assertThat(e.code()).isEqualTo(ErrorCode.FHIR_WRONG_RESOURCE_TYPE);
    assertThat(e.detail()).contains("Observation");
    assertThat(failure("{\"resourceType\": \"Patient\", \"id\": \"p\"}").code())
        .isEqualTo(ErrorCode.FHIR_WRONG_RESOURCE_TYPE);
  }

  @Test
  void a_bundle_without_notes_is_a_patient_record_with_no_notes() {
    String bundle =
        "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [{\"resource\":"
            + " {\"resourceType\": \"Patient\", \"id\": \"p\"}}]}";
    assertThat(reader.read(bundle.getBytes(UTF_8), "record.json")).isEmpty();
  }

  @Test
  void attachment_without_data_or_url_has_no_text() {
    CdsException e =
        failure(documentReference("{\"contentType\": \"text/plain\", \"title\": \"empty\"}"));

    assertThat(e.code()).isEqualTo(ErrorCode.NOTE_WITHOUT_TEXT);
  }

  @Test
  void blank_text_has_no_text() {
    assertThat(
            failure(
                    documentReference(
                        "{\"contentType\": \"text/html\", \"data\": \"" + b64("<p> </p>") + "\"}"))
                .code())
        .isEqualTo(ErrorCode.NOTE_WITHOUT_TEXT);
  }

  @Test
  void pdf_is_an_unsupported_content_type() {
    CdsException e =
        failure(
            documentReference(
                "{\"contentType\": \"application/pdf\", \"data\": \"JVBERi0xLjQK\"}"));

    assertThat(e.code()).isEqualTo(ErrorCode.NOTE_UNSUPPORTED_CONTENT_TYPE);
    assertThat(e.detail()).contains("application/pdf").contains("DocumentReference/doc1");
  }

  @Test
  void url_to_nothing_in_the_input_is_unresolved() {
    CdsException e =
        failure(
            documentReference(
                "{\"contentType\": \"text/plain\", \"url\": \"http://elsewhere.example/Binary/9\"}"));

    assertThat(e.code()).isEqualTo(ErrorCode.NOTE_ATTACHMENT_UNRESOLVED);
  }

  @Test
  void read_each_keeps_good_notes_and_reports_bad_ones() {
    String bundle =
        """
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"resource": {"resourceType": "DocumentReference", "id": "good", "status": "current",
             "content": [{"attachment": {"contentType": "text/plain", "data": "%s"}}]}},
          {"resource": {"resourceType": "DocumentReference", "id": "pdf", "status": "current",
             "content": [{"attachment": {"contentType": "application/pdf", "data": "JVBERi0xLjQK"}}]}}
        ]}
        """
            .formatted(b64("Fine."));

    List<NoteOutcome> outcomes = reader.readEach(bundle.getBytes(UTF_8), "mixed.json");

    assertThat(outcomes)
        .extracting(NoteOutcome::sourceReference)
        .containsExactly("DocumentReference/good", "DocumentReference/pdf");
    assertThat(outcomes.get(0).note()).isPresent();
    assertThat(outcomes.get(1).failure().orElseThrow().code())
        .isEqualTo(ErrorCode.NOTE_UNSUPPORTED_CONTENT_TYPE);
    assertThatThrownBy(() -> reader.read(bundle.getBytes(UTF_8), "mixed.json"))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> assertThat(e.detail()).contains("mixed.json").contains("DocumentReference/pdf"));
  }

  @Test
  void input_over_the_size_limit_is_too_large(@TempDir Path dir) throws Exception {
    NoteReader small = new NoteReader(new FhirNotes(new Fhir()), new TextSegmenter(), 100);
    Path file = dir.resolve("big.json");
    Files.writeString(
        file,
        documentReference(
            "{\"contentType\": \"text/plain\", \"data\": \"" + b64("x".repeat(200)) + "\"}"));

    assertThatThrownBy(() -> small.read(file))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOTE_TOO_LARGE));
    assertThatThrownBy(() -> small.read(Files.readAllBytes(file), "big.json"))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOTE_TOO_LARGE));
  }

  @Test
  void file_is_read_and_a_missing_file_is_not_found(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("note.json");
    Files.writeString(
        file,
        documentReference(
            "{\"contentType\": \"text/plain\", \"data\": \"" + b64("From a file.") + "\"}"));

    assertThat(reader.read(file)).extracting(ClinicalNote::text).containsExactly("From a file.");
    assertThatThrownBy(() -> reader.read(dir.resolve("missing.json")))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_NOT_FOUND));
  }
}
