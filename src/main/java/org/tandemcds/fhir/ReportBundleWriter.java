package org.tandemcds.fhir;

import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Media;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OidType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.Overlay;
import org.tandemcds.domain.ReportBundle;

/**
 * Writes a {@link ReportContent} as a FHIR R4 transaction Bundle that an EHR can POST as it is:
 * DiagnosticReport (preliminary), one Observation per finding, one Media per saliency overlay, the
 * model's Device and a Provenance, linked by {@code urn:uuid} references. Patient, ImagingStudy,
 * ServiceRequest and DocumentReference are referenced by identifier (the EHR resolves them), or
 * literally when the note came as {@code Type/id}.
 *
 * <p>Entry ids are name-based UUIDs of the run id and the entry's role, so the same run gives the
 * same Bundle. Thread-safe.
 */
public final class ReportBundleWriter {
  static final String LOINC = "http://loinc.org";
  static final String UCUM = "http://unitsofmeasure.org";
  private static final String OBSERVATION_VALUE =
      "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
  private static final String INTERPRETATION =
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
  private static final String DICOM_UID = "urn:dicom:uid";
  private static final String URI_IDENTIFIER = "urn:ietf:rfc:3986";

  private final Fhir fhir;

  public ReportBundleWriter(Fhir fhir) {
    this.fhir = fhir;
  }

  /** The transaction Bundle of one run, as pretty-printed FHIR JSON, with its overlays. */
  public ReportBundle write(ReportContent c) {
    Ids ids = new Ids(c.runId());
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.setId(ids.uuid("Bundle"));
    bundle.setTimestamp(Date.from(c.issued()));
    Device device = device(c);
    List<Observation> observations = new ArrayList<>();
    List<Media> media = new ArrayList<>();
    List<Overlay> overlays = new ArrayList<>();
    for (ReportContent.Finding f : c.findings()) {
      observations.add(observation(c, f, ids));
      f.explanation()
          .flatMap(FindingExplanation::overlay)
          .ifPresent(
              o -> {
                media.add(media(c, f, o, ids));
                overlays.add(o);
              });
    }
    DiagnosticReport report = report(c, ids, observations, media);
    add(bundle, ids, "DiagnosticReport", report);
    for (int i = 0; i < observations.size(); i++) {
      add(bundle, ids, "Observation/" + i, observations.get(i));
    }
    for (int i = 0; i < media.size(); i++) {
      add(bundle, ids, "Media/" + i, media.get(i));
    }
    add(bundle, ids, "Device", device);
    add(bundle, ids, "Provenance", provenance(c, ids, observations.size()));
    IParser parser = fhir.context().newJsonParser().setPrettyPrint(true);
    return new ReportBundle(
        parser.encodeResourceToString(bundle), ids.urn("DiagnosticReport"), overlays);
  }

  private static void add(Bundle bundle, Ids ids, String role, DomainResource resource) {
    bundle
        .addEntry()
        .setFullUrl(ids.urn(role))
        .setResource(resource)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl(resource.fhirType());
  }

  private static <T extends DomainResource> T labelled(T resource, String profile) {
    resource.getMeta().addProfile(profile);
    resource.getMeta().addSecurity(OBSERVATION_VALUE, "AIAST", "Artificial Intelligence asserted");
    return resource;
  }

  private DiagnosticReport report(
      ReportContent c, Ids ids, List<Observation> observations, List<Media> media) {
    DiagnosticReport r = labelled(new DiagnosticReport(), Tandem.REPORT_PROFILE);
    r.setText(narrative(c.html()));
    r.addIdentifier().setSystem(Tandem.RUN_SYSTEM).setValue(c.runId());
    c.study().flatMap(ReportBundleWriter::serviceRequest).ifPresent(r::addBasedOn);
    r.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
    r.addCategory(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology")));
    r.setCode(concept(c.exam()));
    subject(c).ifPresent(r::setSubject);
    effective(c).ifPresent(r::setEffective);
    r.setIssuedElement(new InstantType(Date.from(c.issued())));
    for (int i = 0; i < observations.size(); i++) {
      r.addResult(new Reference(ids.urn("Observation/" + i)));
    }
    c.study().ifPresent(s -> r.addImagingStudy(imagingStudy(s)));
    for (int i = 0; i < media.size(); i++) {
      r.addMedia()
          .setComment(media.get(i).getContent().getTitle())
          .setLink(new Reference(ids.urn("Media/" + i)));
    }
    r.setConclusion(c.conclusion());
    c.findings().stream()
        .filter(f -> f.prediction().positive())
        .forEach(f -> r.addConclusionCode(concept(f.code())));
    r.addPresentedForm(
        new Attachment()
            .setContentType("text/html")
            .setLanguage("en")
            .setData(document(c.html()).getBytes(StandardCharsets.UTF_8))
            .setTitle("AI suggestion (" + c.mode().label() + "), requires clinician review"));
    return r;
  }

  private Observation observation(ReportContent c, ReportContent.Finding f, Ids ids) {
    FindingPrediction p = f.prediction();
    Observation o = labelled(new Observation(), Tandem.FINDING_PROFILE);
    o.setStatus(Observation.ObservationStatus.PRELIMINARY);
    o.addCategory(
        new CodeableConcept(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category",
                "imaging",
                "Imaging")));
    o.setCode(concept(f.code()));
    subject(c).ifPresent(o::setSubject);
    effective(c).ifPresent(o::setEffective);
    o.setIssuedElement(new InstantType(Date.from(c.issued())));
    o.setValue(percent(p.probability()));
    o.addInterpretation(
        new CodeableConcept(
            p.positive()
                ? new Coding(INTERPRETATION, "POS", "Positive")
                : new Coding(INTERPRETATION, "NEG", "Negative")));
    o.addReferenceRange()
        .setHigh(percent(p.threshold()))
        .setText(
            "operating threshold of the model: positive at or above "
                + String.format(java.util.Locale.ROOT, "%.1f %%", 100 * p.threshold()));
    o.setDevice(new Reference(ids.urn("Device")));
    c.study().ifPresent(s -> o.addDerivedFrom(imagingStudy(s)));
    c.notes().forEach(n -> o.addDerivedFrom(documentReference(n)));
    f.explanation().ifPresent(e -> explain(o, e));
    o.setText(
        narrative(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>AI suggestion: "
                + f.words()
                + " "
                + String.format(java.util.Locale.ROOT, "%.1f %%", 100 * p.probability())
                + (p.positive() ? " (positive)" : " (negative)")
                + ". Requires clinician review.</p></div>"));
    return o;
  }

  private static void explain(Observation o, FindingExplanation e) {
    ModalityContribution m = e.contribution();
    Extension contribution = o.addExtension().setUrl(Tandem.EXT_CONTRIBUTION);
    contribution.addExtension("gateImage", new DecimalType(round(m.gateImage())));
    contribution.addExtension("gateNote", new DecimalType(round(m.gateNote())));
    contribution.addExtension("gateJoint", new DecimalType(round(m.gateJoint())));
    m.withoutNote()
        .ifPresent(v -> contribution.addExtension("withoutNote", new DecimalType(round(v))));
    m.withoutImage()
        .ifPresent(v -> contribution.addExtension("withoutImage", new DecimalType(round(v))));
    for (EvidenceSpan span : e.evidence()) {
      Extension evidence = o.addExtension().setUrl(Tandem.EXT_EVIDENCE);
      evidence.addExtension("document", noteReference(span.noteReference()));
      evidence.addExtension("offset", new IntegerType(span.span().start()));
      evidence.addExtension("length", new IntegerType(span.span().end() - span.span().start()));
      evidence.addExtension("score", new DecimalType(round(span.score())));
    }
  }

  private Media media(ReportContent c, ReportContent.Finding f, Overlay overlay, Ids ids) {
    Media m = labelled(new Media(), Tandem.MEDIA_PROFILE);
    m.addExtension(Tandem.EXT_SOURCE_INSTANCE, new OidType("urn:oid:" + overlay.sopInstanceUid()));
    m.setStatus(Media.MediaStatus.COMPLETED);
    m.setType(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/media-type", "image", "Image")));
    c.study().ifPresent(s -> m.addPartOf(imagingStudy(s)));
    subject(c).ifPresent(m::setSubject);
    m.setIssuedElement(new InstantType(Date.from(c.issued())));
    m.setDevice(new Reference(ids.urn("Device")));
    m.addReasonCode(concept(f.code()));
    m.setHeight(overlay.rows()).setWidth(overlay.columns()).setFrames(1);
    m.setContent(
        new Attachment()
            .setContentType("image/png")
            .setData(overlay.png())
            .setTitle(
                "AI saliency for "
                    + f.words()
                    + " over SOPInstanceUID "
                    + overlay.sopInstanceUid()));
    m.setText(
        narrative(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>"
                + Html.escape(m.getContent().getTitle())
                + " (AI suggestion)</p></div>"));
    return m;
  }

  private static Device device(ReportContent c) {
    ReportContent.ModelIdentity d = c.device();
    Device device = labelled(new Device(), Tandem.DEVICE_PROFILE);
    device.addExtension(Tandem.EXT_MODEL_CARD, new UriType(d.modelCardUrl()));
    device
        .addIdentifier()
        .setSystem(Tandem.SHA256_SYSTEM)
        .setValue(d.cardSha256())
        .getType()
        .setText("sha256 of model-card.json");
    for (ReportContent.ModelFile f : d.files()) {
      device
          .addIdentifier()
          .setSystem(Tandem.SHA256_SYSTEM)
          .setValue(f.sha256())
          .getType()
          .setText("sha256 of " + f.path());
    }
    device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
    device.addDeviceName().setName(d.name()).setType(Device.DeviceNameType.MODELNAME);
    device.addVersion().setValue(d.version());
    device.setText(
        narrative(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>AI model "
                + Html.escape(d.name())
                + " "
                + Html.escape(d.version())
                + ", model card sha256 "
                + d.cardSha256()
                + "</p></div>"));
    return device;
  }

  private static Provenance provenance(ReportContent c, Ids ids, int observations) {
    Provenance p = labelled(new Provenance(), Tandem.PROVENANCE_PROFILE);
    p.addExtension(Tandem.EXT_RUN_ID, new StringType(c.runId()));
    p.addTarget(new Reference(ids.urn("DiagnosticReport")));
    for (int i = 0; i < observations; i++) {
      p.addTarget(new Reference(ids.urn("Observation/" + i)));
    }
    p.setRecordedElement(new InstantType(Date.from(c.issued())));
    p.addAgent()
        .setType(
            new CodeableConcept(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                    "author",
                    "Author")))
        .setWho(new Reference(ids.urn("Device")));
    c.study()
        .ifPresent(
            s ->
                p.addEntity()
                    .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                    .setWhat(imagingStudy(s)));
    c.notes()
        .forEach(
            n ->
                p.addEntity()
                    .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                    .setWhat(documentReference(n)));
    p.setText(
        narrative(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Produced by AI model "
                + Html.escape(c.device().name())
                + " "
                + Html.escape(c.device().version())
                + " in run "
                + Html.escape(c.runId())
                + "</p></div>"));
    return p;
  }

  private static Optional<Reference> serviceRequest(ImagingStudy s) {
    if (s.accessionNumber().isBlank()) {
      return Optional.empty();
    }
    Reference r = new Reference().setType("ServiceRequest");
    r.getIdentifier()
        .setValue(s.accessionNumber())
        .getType()
        .addCoding(
            new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN", "Accession ID"));
    return Optional.of(r);
  }

  private static Reference imagingStudy(ImagingStudy s) {
    Reference r = new Reference().setType("ImagingStudy");
    r.getIdentifier().setSystem(DICOM_UID).setValue("urn:oid:" + s.studyInstanceUid());
    return r;
  }

  private static Reference documentReference(ClinicalNote n) {
    return noteReference(n.sourceReference());
  }

  /** {@code Type/id} stays a literal reference; anything else (a urn) becomes an identifier. */
  private static Reference noteReference(String source) {
    if (source.matches("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}")) {
      return new Reference(source);
    }
    Reference r = new Reference().setType("DocumentReference");
    r.getIdentifier().setSystem(URI_IDENTIFIER).setValue(source);
    return r;
  }

  private static Optional<Reference> subject(ReportContent c) {
    Optional<Identifier> id =
        c.notes().stream().flatMap(n -> n.patientIdentifiers().stream()).findFirst();
    if (id.isEmpty()) {
      id = c.study().map(s -> new Identifier(s.patient().issuer(), s.patient().id()));
    }
    return id.filter(i -> !i.value().isBlank())
        .map(
            i -> {
              Reference r = new Reference().setType("Patient");
              r.getIdentifier().setValue(i.value());
              if (i.system().contains(":")) {
                r.getIdentifier().setSystem(i.system());
              }
              return r;
            });
  }

  private static Optional<DateTimeType> effective(ReportContent c) {
    return c.study()
        .map(ImagingStudy::studyDate)
        .filter(d -> d.matches("\\d{8}"))
        .map(
            d ->
                new DateTimeType(
                    d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6)))
        .or(
            () ->
                c.notes().stream()
                    .map(ClinicalNote::date)
                    .filter(d -> d != null && d.matches("\\d{4}(-\\d{2}(-\\d{2}.*)?)?"))
                    .findFirst()
                    .map(DateTimeType::new));
  }

  private static CodeableConcept concept(ReportContent.Code code) {
    return new CodeableConcept(new Coding(code.system(), code.code(), code.display()))
        .setText(code.display());
  }

  private static Quantity percent(double fraction) {
    return new Quantity().setValue(round(100 * fraction)).setUnit("%").setSystem(UCUM).setCode("%");
  }

  private static java.math.BigDecimal round(double value) {
    return java.math.BigDecimal.valueOf(value).setScale(4, java.math.RoundingMode.HALF_EVEN);
  }

  private static String document(String div) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
        + "<title>AI suggestion - requires clinician review</title></head><body>"
        + div
        + "</body></html>\n";
  }

  private static Narrative narrative(String xhtml) {
    Narrative n = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
    n.setDivAsString(xhtml);
    return n;
  }

  /** Deterministic entry ids: name-based UUIDs of the run id and each entry's role. */
  private record Ids(String runId) {
    String uuid(String role) {
      return UUID.nameUUIDFromBytes((runId + "/" + role).getBytes(StandardCharsets.UTF_8))
          .toString();
    }

    String urn(String role) {
      return "urn:uuid:" + uuid(role);
    }
  }
}
