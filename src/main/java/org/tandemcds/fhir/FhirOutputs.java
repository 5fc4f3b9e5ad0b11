package org.tandemcds.fhir;

import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.AuditRecord;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.FhirResource;

/**
 * FHIR JSON that the HTTP edge sends: searchset and history Bundles of stored resources,
 * OperationOutcomes for coded errors, and AuditEvents. The {@code http} package uses these so that
 * it never touches HAPI types.
 *
 * <p>Thread-safe.
 */
public final class FhirOutputs {
  static final String PATIENT_KEY_SYSTEM = "urn:tandemcds:patient-key";
  private static final String AUDIT_TYPE_SYSTEM = "urn:tandemcds:audit-event-type";

  private final Fhir fhir;

  public FhirOutputs(Fhir fhir) {
    this.fhir = fhir;
  }

  /** A {@code searchset} Bundle of stored resources; {@code base} is the server's FHIR base URL. */
  public String searchset(String base, List<FhirResource> found) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(found.size());
    for (FhirResource r : found) {
      bundle
          .addEntry()
          .setFullUrl(base + "/" + r.reference())
          .setResource(parse(r))
          .getSearch()
          .setMode(Bundle.SearchEntryMode.MATCH);
    }
    return encode(bundle);
  }

  /** A {@code history} Bundle of a resource's versions, newest first. */
  public String history(String base, List<FhirResource> versions) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY).setTotal(versions.size());
    for (int i = versions.size() - 1; i >= 0; i--) {
      FhirResource r = versions.get(i);
      bundle.addEntry().setFullUrl(base + "/" + r.reference()).setResource(parse(r));
    }
    return encode(bundle);
  }

  /**
   * An OperationOutcome naming the code and its meaning; the detail only when {@code withDetail}.
   */
  public String operationOutcome(CdsException e, boolean withDetail) {
    return encode(Outcomes.outcome(e.code(), withDetail ? e.detail() : null));
  }

  /** A searchset Bundle of AuditEvents. */
  public String auditEvents(List<AuditRecord> records) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(records.size());
    records.forEach(r -> bundle.addEntry().setResource(auditEvent(r)));
    return encode(bundle);
  }

  private static AuditEvent auditEvent(AuditRecord r) {
    AuditEvent event = new AuditEvent();
    Optional<AuditType> type = AuditType.of(r.type());
    event.setType(
        type.map(t -> coding(t.type()))
            .orElseGet(() -> new Coding(AUDIT_TYPE_SYSTEM, r.type(), null)));
    type.flatMap(AuditType::subtype).ifPresent(s -> event.addSubtype(coding(s)));
    event.setAction(AuditEvent.AuditEventAction.fromCode(r.action()));
    event.setRecorded(Date.from(r.recorded()));
    event.setOutcome(AuditEvent.AuditEventOutcome.fromCode(r.outcome()));
    event.setOutcomeDesc(r.description());
    event.addAgent().setRequestor(true).setWho(new Reference().setDisplay(r.agent()));
    event.getSource().setObserver(new Reference().setDisplay("Tandem"));
    r.entity().ifPresent(e -> event.addEntity().setWhat(entity(e)));
    r.patientKey()
        .ifPresent(
            k ->
                event
                    .addEntity()
                    .setType(
                        new Coding(
                            "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                            "1",
                            "Person"))
                    .setRole(
                        new Coding(
                            "http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"))
                    .getWhat()
                    .getIdentifier()
                    .setSystem(PATIENT_KEY_SYSTEM)
                    .setValue(k));
    return event;
  }

  private static Coding coding(AuditType.Coding c) {
    return new Coding(c.system(), c.code(), c.display());
  }

  /**
   * A stored entity as a FHIR Reference: {@code Type/id} literally; a DICOM study, stored as {@code
   * urn:oid:<StudyInstanceUID>}, by its identifier as ImagingStudy.identifier carries it.
   */
  private static Reference entity(String entity) {
    if (entity.startsWith("urn:oid:")) {
      Reference study = new Reference().setType("ImagingStudy");
      study.getIdentifier().setSystem("urn:dicom:uid").setValue(entity);
      return study;
    }
    return new Reference(entity);
  }

  private Resource parse(FhirResource r) {
    return (Resource) fhir.context().newJsonParser().parseResource(r.json());
  }

  private String encode(Resource resource) {
    return fhir.context()
        .newJsonParser()
        .setStripVersionsFromReferences(false)
        .encodeResourceToString(resource);
  }
}
