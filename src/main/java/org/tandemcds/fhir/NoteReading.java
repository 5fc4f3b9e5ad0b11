package org.tandemcds.fhir;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** Reads one note-carrying resource within its input (a Bundle or on its own). */
final class NoteReading {
  private final AttachmentText attachments;
  private final NoteLinks links;

  NoteReading(ResourceIndex index, List<Resource> bundleResources) {
    this.attachments = new AttachmentText(index);
    this.links = new NoteLinks(index, bundleResources);
  }

  NoteExtraction extract(Resource resource, String sourceReference) {
    try {
      return NoteExtraction.of(source(resource, sourceReference));
    } catch (CdsException e) {
      return NoteExtraction.failed(sourceReference, e);
    }
  }

  private NoteSource source(Resource resource, String ref) {
    if (resource instanceof DocumentReference document) {
      return documentReference(document, ref);
    }
    if (resource instanceof Composition composition) {
      return composition(composition, ref);
    }
    if (resource instanceof DiagnosticReport report) {
      return diagnosticReport(report, ref);
    }
    throw new CdsException(ErrorCode.FHIR_WRONG_RESOURCE_TYPE, ref + ": not a note resource");
  }

  private NoteSource documentReference(DocumentReference document, String ref) {
    List<org.hl7.fhir.r4.model.Attachment> content =
        document.getContent().stream().map(c -> c.getAttachment()).toList();
    NotePart part = attachments.first(content, document, ref);
    Reference subject = document.getSubject();
    String date =
        document.hasDate()
            ? document.getDateElement().getValueAsString()
            : document.getContext().getPeriod().getStartElement().getValueAsString();
    return new NoteSource(
        ref,
        List.of(part),
        links.patientIdentifiers(subject, document),
        links.accessionNumbers(document, subject, document.getContext().getRelated(), List.of()),
        date,
        author(document.getAuthor()));
  }

  private NoteSource composition(Composition composition, String ref) {
    List<NotePart> parts = new ArrayList<>();
    sections(composition.getSection(), parts);
    if (parts.stream().allMatch(p -> p.content().isBlank())) {
      throw new CdsException(ErrorCode.NOTE_WITHOUT_TEXT, ref + ": no section has a narrative");
    }
    List<Reference> events = new ArrayList<>();
    composition.getEvent().forEach(e -> events.addAll(e.getDetail()));
    Reference subject = composition.getSubject();
    return new NoteSource(
        ref,
        parts,
        links.patientIdentifiers(subject, composition),
        links.accessionNumbers(composition, subject, events, List.of()),
        composition.getDateElement().getValueAsString(),
        author(composition.getAuthor()));
  }

  private static void sections(List<Composition.SectionComponent> sections, List<NotePart> parts) {
    for (Composition.SectionComponent section : sections) {
      String narrative = hasDiv(section.getText()) ? section.getText().getDivAsString() : "";
      parts.add(new NotePart(section.getTitle(), narrative, NoteFormat.HTML));
      sections(section.getSection(), parts);
    }
  }

  private NoteSource diagnosticReport(DiagnosticReport report, String ref) {
    NotePart part = reportText(report, ref);
    Reference subject = report.getSubject();
    List<Reference> linked = new ArrayList<>(report.getBasedOn());
    linked.addAll(report.getImagingStudy());
    return new NoteSource(
        ref,
        List.of(part),
        links.patientIdentifiers(subject, report),
        links.accessionNumbers(report, subject, linked, report.getIdentifier()),
        reportDate(report),
        author(
            report.hasResultsInterpreter()
                ? report.getResultsInterpreter()
                : report.getPerformer()));
  }

  private NotePart reportText(DiagnosticReport report, String ref) {
    if (report.hasPresentedForm()) {
      return attachments.first(report.getPresentedForm(), report, ref);
    }
    Narrative.NarrativeStatus status = report.getText().getStatus();
    boolean authored =
        status == Narrative.NarrativeStatus.ADDITIONAL
            || status == Narrative.NarrativeStatus.EXTENSIONS;
    if (authored && hasDiv(report.getText())) {
      return new NotePart("", report.getText().getDivAsString(), NoteFormat.HTML);
    }
    if (report.hasConclusion() && !report.getConclusion().isBlank()) {
      return new NotePart("", report.getConclusion(), NoteFormat.PLAIN);
    }
    throw new CdsException(
        ErrorCode.NOTE_WITHOUT_TEXT,
        ref + ": no presentedForm, no authored narrative and no conclusion");
  }

  private static String reportDate(DiagnosticReport report) {
    if (report.hasEffectiveDateTimeType()) {
      return report.getEffectiveDateTimeType().getValueAsString();
    }
    if (report.hasEffectivePeriod()) {
      return report.getEffectivePeriod().getStartElement().getValueAsString();
    }
    return report.getIssuedElement().getValueAsString();
  }

  private static boolean hasDiv(Narrative narrative) {
    return narrative != null && narrative.hasDiv() && !narrative.getDiv().isEmpty();
  }

  private static String author(List<Reference> authors) {
    if (authors.isEmpty()) {
      return "";
    }
    Reference first = authors.get(0);
    return first.hasDisplay() ? first.getDisplay() : first.getReference();
  }
}
