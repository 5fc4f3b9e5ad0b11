package org.tandemcds.fhir;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Media;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.ReportBundle;
import org.tandemcds.domain.StageTiming;
import org.tandemcds.domain.TextSpan;

/**
 * TEST FIXTURE: builds an {@link AnalysisRun} whose report is a FHIR R4 transaction Bundle shaped
 * like the report stage's (DiagnosticReport preliminary with AIAST, five Observations, a Media, a
 * Device, a Provenance, all with urn:uuid references), from {@link Prediction} records. The real
 * mapping is the report stage's; this only stands in for its output as an input to storage.
 */
public final class TestReportBundles {
  public static final String MRN_SYSTEM = "urn:oid:1.2.826.0.1.3680043.10.1234";
  public static final List<String> FINDINGS =
      List.of("cardiomegaly", "pleural_effusion", "pneumothorax", "nodule_mass", "consolidation");
  private static final Fhir FHIR = new Fhir();

  private TestReportBundles() {}

  /** A prediction with the given probabilities (threshold 0.5), in {@link #FINDINGS} order. */
  public static Prediction prediction(double... probabilities) {
    List<FindingPrediction> findings = new ArrayList<>();
    for (int i = 0; i < FINDINGS.size(); i++) {
      double p = probabilities[i];
      findings.add(new FindingPrediction(FINDINGS.get(i), p, 0.5, p >= 0.5, 0.5, 0.3, 0.2));
    }
    return new Prediction(findings, Mode.IMAGE_AND_NOTE, "tandem-hybrid", "1.2.0", "ab".repeat(32));
  }

  /** A run for {@code patientId} (FHIR id; the MRN is {@code MRN-<id>}) with evidence quotes. */
  public static AnalysisRun run(String patientId, String studyUid, Prediction prediction) {
    String reportUuid = "urn:uuid:" + UUID.randomUUID();
    String json = bundle(reportUuid, patientId, studyUid, prediction);
    List<FindingExplanation> explained = new ArrayList<>();
    for (FindingPrediction f : prediction.findings()) {
      explained.add(
          new FindingExplanation(
              f.finding(),
              Optional.empty(),
              Optional.empty(),
              List.of(
                  new EvidenceSpan(
                      "DocumentReference/n1",
                      new TextSpan(0, 20),
                      "evidence for " + f.finding() + " | *x*",
                      0.8),
                  new EvidenceSpan(
                      "DocumentReference/n1", new TextSpan(30, 40), "argues against", -0.4)),
              new ModalityContribution(
                  0.5, 0.3, 0.2, f.probability(), OptionalDouble.empty(), OptionalDouble.empty())));
    }
    Instant now = Instant.now();
    return new AnalysisRun(
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        prediction.mode(),
        Optional.of(studyUid),
        prediction,
        Optional.of(new Explanation(explained, List.of())),
        new ReportBundle(json, reportUuid, List.of()),
        List.of(new StageTiming("fuse", 1000)),
        now,
        now);
  }

  private static String bundle(
      String reportUuid, String patientId, String studyUid, Prediction prediction) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Reference subject = new Reference("Patient/" + patientId);
    subject.getIdentifier().setSystem(MRN_SYSTEM).setValue("MRN-" + patientId);
    String deviceUuid = "urn:uuid:" + UUID.randomUUID();
    Device device = new Device();
    device.addIdentifier().setSystem("urn:tandemcds:model-name").setValue(prediction.modelName());
    device
        .addIdentifier()
        .setSystem("urn:tandemcds:model-version")
        .setValue(prediction.modelVersion());
    device
        .addIdentifier()
        .setSystem("urn:tandemcds:model-sha256")
        .setValue(prediction.modelSha256());
    device.addDeviceName().setName(prediction.modelName()).setType(Device.DeviceNameType.MODELNAME);

    DiagnosticReport report = new DiagnosticReport();
    report
        .getMeta()
        .addSecurity(
            "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
            "AIAST",
            "Artificial Intelligence asserted");
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
    report.setCode(new CodeableConcept().setText("Chest radiograph, AI suggestion"));
    report.setSubject(subject);
    Reference study = new Reference();
    study.getIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + studyUid);
    report.addImagingStudy(study);
    report.setConclusion("AI-generated suggestion, requires clinician review.");
    List<Resource> others = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (FindingPrediction f : prediction.findings()) {
      Observation o = new Observation();
      o.setStatus(Observation.ObservationStatus.PRELIMINARY);
      o.setCode(new CodeableConcept(new Coding("urn:tandemcds:finding", f.finding(), f.finding())));
      o.setSubject(subject.copy());
      o.setValue(
          new Quantity()
              .setValue(Math.round(f.probability() * 1000) / 10.0)
              .setUnit("%")
              .setSystem("http://unitsofmeasure.org")
              .setCode("%"));
      o.addInterpretation(
          new CodeableConcept(
              new Coding(
                  "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                  f.positive() ? "POS" : "NEG",
                  null)));
      o.setDevice(new Reference(deviceUuid));
      String url = "urn:uuid:" + UUID.randomUUID();
      report.addResult(new Reference(url));
      others.add(o);
      urls.add(url);
    }
    Media media = new Media();
    media.setStatus(Media.MediaStatus.COMPLETED);
    media.setSubject(subject.copy());
    media.getContent().setContentType("image/png").setData(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    String mediaUrl = "urn:uuid:" + UUID.randomUUID();
    report.addMedia().setLink(new Reference(mediaUrl));
    others.add(media);
    urls.add(mediaUrl);
    others.add(device);
    urls.add(deviceUuid);
    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference(reportUuid));
    provenance.setRecorded(new Date());
    provenance.addAgent().setWho(new Reference(deviceUuid));
    others.add(provenance);
    urls.add("urn:uuid:" + UUID.randomUUID());

    add(bundle, reportUuid, report);
    for (int i = 0; i < others.size(); i++) {
      add(bundle, urls.get(i), others.get(i));
    }
    return FHIR.context().newJsonParser().encodeResourceToString(bundle);
  }

  private static void add(Bundle bundle, String url, Resource resource) {
    bundle
        .addEntry()
        .setFullUrl(url)
        .setResource(resource)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl(resource.fhirType());
  }
}
