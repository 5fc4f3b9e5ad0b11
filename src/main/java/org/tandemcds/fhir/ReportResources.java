package org.tandemcds.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FhirResource;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.PatientKey;

/**
 * Turns the report stage's transaction Bundle into resources to store: assigns each entry a server
 * id, rewrites {@code urn:uuid:} references to {@code Type/id}, stamps version 1, and derives the
 * subject's pseudonymous patient keys.
 *
 * <p>Thread-safe. Errors: {@link ErrorCode#FHIR_MALFORMED}, {@link
 * ErrorCode#REPORT_BUNDLE_INVALID}.
 */
public final class ReportResources {
  private final Fhir fhir;

  public ReportResources(Fhir fhir) {
    this.fhir = fhir;
  }

  /** Prepares {@code bundleJson}; {@code diagnosticReportUuid} names its report entry. */
  public PreparedReport prepare(String bundleJson, String diagnosticReportUuid, Instant now) {
    Bundle bundle = parseBundle(bundleJson);
    Map<String, String> references = assignIds(bundle);
    List<Resource> ordered = new ArrayList<>();
    DiagnosticReport report = null;
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      Resource resource = entry.getResource();
      rewriteReferences(resource, references);
      stamp(resource, "1", now);
      boolean isReport =
          resource instanceof DiagnosticReport
              && sameUuid(entry.getFullUrl(), diagnosticReportUuid);
      if (isReport) {
        report = (DiagnosticReport) resource;
        ordered.add(0, resource);
      } else {
        ordered.add(resource);
      }
    }
    if (report == null || !report.hasSubject()) {
      throw new CdsException(
          ErrorCode.REPORT_BUNDLE_INVALID, "no DiagnosticReport entry " + diagnosticReportUuid);
    }
    return new PreparedReport(
        report.getIdPart(),
        report.getStatus().toCode(),
        ordered.stream().map(r -> toStored(r, 1)).toList(),
        patientKeys(report.getSubject()));
  }

  private Bundle parseBundle(String json) {
    try {
      if (fhir.context().newJsonParser().parseResource(json) instanceof Bundle bundle) {
        return bundle;
      }
    } catch (DataFormatException e) {
      throw new CdsException(ErrorCode.FHIR_MALFORMED, "report Bundle is not FHIR JSON", e);
    }
    throw new CdsException(ErrorCode.REPORT_BUNDLE_INVALID, "report is not a Bundle");
  }

  private static Map<String, String> assignIds(Bundle bundle) {
    Map<String, String> references = new HashMap<>();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      Resource resource = entry.getResource();
      if (resource == null) {
        throw new CdsException(ErrorCode.REPORT_BUNDLE_INVALID, "Bundle entry without a resource");
      }
      String id = UUID.randomUUID().toString();
      String type = resource.fhirType();
      resource.setId(id);
      if (entry.hasFullUrl()) {
        references.put(entry.getFullUrl(), type + "/" + id);
      }
    }
    return references;
  }

  private void rewriteReferences(Resource resource, Map<String, String> references) {
    for (Reference reference :
        fhir.context().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
      String target = references.get(reference.getReference());
      if (target != null) {
        reference.setReference(target);
      }
    }
  }

  static void stamp(Resource resource, String versionId, Instant now) {
    resource.getMeta().setVersionId(versionId).setLastUpdated(Date.from(now));
  }

  private static boolean sameUuid(String fullUrl, String uuid) {
    return fullUrl != null && strip(fullUrl).equals(strip(uuid));
  }

  private static String strip(String uuid) {
    return uuid.startsWith("urn:uuid:") ? uuid.substring("urn:uuid:".length()) : uuid;
  }

  /**
   * The pseudonymous keys a subject answers to: {@code PatientKey("Patient", id)} for a literal
   * reference (relative or absolute) and {@code PatientKey(system, value)} for a logical one.
   */
  static Set<String> patientKeys(Reference subject) {
    Set<String> keys = new LinkedHashSet<>();
    if (subject.hasReference()) {
      String[] parts = subject.getReference().split("/");
      if (parts.length >= 2 && "Patient".equals(parts[parts.length - 2])) {
        keys.add(PatientKey.of(new Identifier("Patient", parts[parts.length - 1])).value());
      }
    }
    if (subject.hasIdentifier() && subject.getIdentifier().hasValue()) {
      keys.add(
          PatientKey.of(
                  new Identifier(
                      subject.getIdentifier().getSystem(), subject.getIdentifier().getValue()))
              .value());
    }
    if (keys.isEmpty()) {
      throw new CdsException(
          ErrorCode.REPORT_BUNDLE_INVALID, "DiagnosticReport.subject names no Patient");
    }
    return keys;
  }

  FhirResource toStored(Resource resource, int versionId) {
    IParser parser = fhir.context().newJsonParser().setStripVersionsFromReferences(false);
    return new FhirResource(
        resource.fhirType(),
        resource.getIdPart(),
        versionId,
        parser.encodeResourceToString(resource));
  }
}
