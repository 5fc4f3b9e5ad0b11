package org.tandemcds.fhir;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FhirResource;

/**
 * The FHIR side of a clinician's review action: the DiagnosticReport's next version (status, {@code
 * resultsInterpreter}, conclusion), edited Observations' next versions, and a new Provenance naming
 * the clinician and the action.
 *
 * <p>Thread-safe. Errors: {@link ErrorCode#FHIR_MALFORMED}, {@link ErrorCode#REVIEW_INVALID}.
 */
public final class ReviewResources {
  static final String CLINICIAN_SYSTEM = "urn:tandemcds:clinician";
  private static final String INTERPRETATION =
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
  private static final String PARTICIPATION =
      "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
  private static final String DATA_OPERATION =
      "http://terminology.hl7.org/CodeSystem/v3-DataOperation";

  private final ReportResources resources;
  private final Fhir fhir;

  public ReviewResources(Fhir fhir) {
    this.fhir = fhir;
    this.resources = new ReportResources(fhir);
  }

  /** Who acted: account name and display name. */
  public record Reviewer(String username, String displayName) {}

  /** Accept: the report becomes {@code final}, the clinician its {@code resultsInterpreter}. */
  public List<FhirResource> accept(FhirResource report, Reviewer reviewer, Instant now) {
    DiagnosticReport next =
        nextReport(report, DiagnosticReport.DiagnosticReportStatus.FINAL, reviewer, now);
    return List.of(
        resources.toStored(next, report.versionId() + 1),
        provenance(
            next, report.versionId() + 1, List.of(), reviewer, "verifier", "UPDATE", null, now));
  }

  /**
   * Amend: the report becomes {@code amended} with the new conclusion (when given), each edited
   * Observation becomes {@code amended} with the clinician's interpretation (POS or NEG).
   *
   * @param observations the report's current Observations
   * @param present Observation id → whether the clinician says the finding is present
   */
  public List<FhirResource> amend(
      FhirResource report,
      List<FhirResource> observations,
      String conclusion,
      Map<String, Boolean> present,
      Reviewer reviewer,
      Instant now) {
    DiagnosticReport next =
        nextReport(report, DiagnosticReport.DiagnosticReportStatus.AMENDED, reviewer, now);
    if (conclusion != null && !conclusion.isBlank()) {
      next.setConclusion(conclusion);
    }
    List<FhirResource> out = new ArrayList<>();
    out.add(resources.toStored(next, report.versionId() + 1));
    List<Resource> edited = new ArrayList<>();
    for (FhirResource stored : observations) {
      Boolean says = present.get(stored.id());
      if (says != null) {
        Observation observation = amendObservation(stored, says, now);
        edited.add(observation);
        out.add(resources.toStored(observation, stored.versionId() + 1));
      }
    }
    if (edited.size() != present.size()) {
      throw new CdsException(
          ErrorCode.REVIEW_INVALID, "an edited Observation is not one of the report's results");
    }
    out.add(
        provenance(next, report.versionId() + 1, edited, reviewer, "author", "UPDATE", null, now));
    return out;
  }

  /** Reject: the report becomes {@code cancelled}; the reason goes into the Provenance. */
  public List<FhirResource> reject(
      FhirResource report, String reason, Reviewer reviewer, Instant now) {
    DiagnosticReport next =
        nextReport(report, DiagnosticReport.DiagnosticReportStatus.CANCELLED, reviewer, now);
    return List.of(
        resources.toStored(next, report.versionId() + 1),
        provenance(
            next, report.versionId() + 1, List.of(), reviewer, "verifier", "NULLIFY", reason, now));
  }

  private DiagnosticReport nextReport(
      FhirResource stored,
      DiagnosticReport.DiagnosticReportStatus status,
      Reviewer reviewer,
      Instant now) {
    DiagnosticReport report = parse(stored, DiagnosticReport.class);
    report.setStatus(status);
    report.getResultsInterpreter().clear();
    report.addResultsInterpreter(clinician(reviewer));
    report.setIssued(Date.from(now));
    ReportResources.stamp(report, Integer.toString(stored.versionId() + 1), now);
    return report;
  }

  private Observation amendObservation(FhirResource stored, boolean present, Instant now) {
    Observation observation = parse(stored, Observation.class);
    observation.setStatus(Observation.ObservationStatus.AMENDED);
    observation.getInterpretation().clear();
    observation.addInterpretation(
        new CodeableConcept(
            new Coding(
                INTERPRETATION, present ? "POS" : "NEG", present ? "Positive" : "Negative")));
    observation.addNote().setText("Interpretation amended by the reviewing clinician.");
    ReportResources.stamp(observation, Integer.toString(stored.versionId() + 1), now);
    return observation;
  }

  private FhirResource provenance(
      DiagnosticReport report,
      int reportVersion,
      List<Resource> edited,
      Reviewer reviewer,
      String role,
      String activity,
      String reason,
      Instant now) {
    Provenance provenance = new Provenance();
    provenance.setId(UUID.randomUUID().toString());
    provenance.addTarget(
        new Reference("DiagnosticReport/" + report.getIdPart() + "/_history/" + reportVersion));
    for (Resource r : edited) {
      provenance.addTarget(
          new Reference(
              r.fhirType() + "/" + r.getIdPart() + "/_history/" + r.getMeta().getVersionId()));
    }
    provenance.setRecorded(Date.from(now));
    provenance.setActivity(new CodeableConcept(new Coding(DATA_OPERATION, activity, null)));
    provenance
        .addAgent()
        .setType(new CodeableConcept(new Coding(PARTICIPATION, role, null)))
        .setWho(clinician(reviewer));
    if (reason != null) {
      provenance.addReason().setText(reason);
    }
    ReportResources.stamp(provenance, "1", now);
    return resources.toStored(provenance, 1);
  }

  private static Reference clinician(Reviewer reviewer) {
    Reference reference = new Reference().setDisplay(reviewer.displayName());
    reference.getIdentifier().setSystem(CLINICIAN_SYSTEM).setValue(reviewer.username());
    return reference;
  }

  private <T extends Resource> T parse(FhirResource stored, Class<T> type) {
    try {
      return fhir.context().newJsonParser().parseResource(type, stored.json());
    } catch (RuntimeException e) {
      throw new CdsException(ErrorCode.FHIR_MALFORMED, "stored " + stored.reference(), e);
    }
  }
}
