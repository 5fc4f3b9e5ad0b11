package org.tandemcds.fhir;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.tandemcds.domain.Identifier;

/**
 * The identifiers a note is linked to: its subject's patient identifiers and the accession numbers
 * of the orders and studies it names or that share its subject in the same Bundle.
 *
 * <p>Accession numbers: identifiers typed {@code ACSN} (v2-0203) of a ServiceRequest, a
 * DiagnosticReport or a Reference; for an ImagingStudy every identifier except DICOM UIDs (system
 * {@code urn:dicom:uid} or a {@code urn:oid:} value, which name the study, not the order).
 */
final class NoteLinks {
  private static final String DICOM_UID_SYSTEM = "urn:dicom:uid";

  private final ResourceIndex index;
  private final List<Resource> bundleResources;

  NoteLinks(ResourceIndex index, List<Resource> bundleResources) {
    this.index = index;
    this.bundleResources = List.copyOf(bundleResources);
  }

  List<Identifier> patientIdentifiers(Reference subject, Resource note) {
    Optional<Resource> target = index.resolve(subject, note);
    if (target.isPresent() && target.get() instanceof Patient patient) {
      return patient.getIdentifier().stream()
          .filter(org.hl7.fhir.r4.model.Identifier::hasValue)
          .map(NoteLinks::identifier)
          .toList();
    }
    if (subject != null && subject.hasIdentifier() && subject.getIdentifier().hasValue()) {
      return List.of(identifier(subject.getIdentifier()));
    }
    return List.of();
  }

  /**
   * Accession numbers of the given references (resolved or by their own identifier), of the note's
   * own ACSN identifiers, and of the Bundle's ServiceRequests and ImagingStudies of the same
   * subject.
   */
  List<Identifier> accessionNumbers(
      Resource note,
      Reference subject,
      List<Reference> linked,
      List<org.hl7.fhir.r4.model.Identifier> own) {
    Set<Identifier> found = new LinkedHashSet<>(acsn(own));
    for (Reference reference : linked) {
      found.addAll(fromReference(reference, note));
    }
    Optional<Resource> patient = index.resolve(subject, note);
    for (Resource resource : bundleResources) {
      if (patient.isPresent() && patient.equals(index.resolve(subjectOf(resource), resource))) {
        found.addAll(fromResource(resource));
      }
    }
    return new ArrayList<>(found);
  }

  private List<Identifier> fromReference(Reference reference, Resource note) {
    Optional<Resource> target = index.resolve(reference, note);
    if (target.isPresent()) {
      return fromResource(target.get());
    }
    if (!reference.hasIdentifier() || !reference.getIdentifier().hasValue()) {
      return List.of();
    }
    org.hl7.fhir.r4.model.Identifier id = reference.getIdentifier();
    String type = reference.hasType() ? reference.getType() : typeOf(reference.getReference());
    boolean order = type.endsWith("ServiceRequest") || type.endsWith("ImagingStudy");
    return order || isAcsn(id) ? List.of(identifier(id)) : List.of();
  }

  private static List<Identifier> fromResource(Resource resource) {
    if (resource instanceof ServiceRequest order) {
      return acsn(order.getIdentifier());
    }
    if (resource instanceof ImagingStudy study) {
      return study.getIdentifier().stream()
          .filter(org.hl7.fhir.r4.model.Identifier::hasValue)
          .filter(id -> isAcsn(id) || !isDicomUid(id))
          .map(NoteLinks::identifier)
          .toList();
    }
    return List.of();
  }

  private static Reference subjectOf(Resource resource) {
    if (resource instanceof ServiceRequest order) {
      return order.getSubject();
    }
    return resource instanceof ImagingStudy study ? study.getSubject() : null;
  }

  private static List<Identifier> acsn(List<org.hl7.fhir.r4.model.Identifier> identifiers) {
    return identifiers.stream()
        .filter(org.hl7.fhir.r4.model.Identifier::hasValue)
        .filter(NoteLinks::isAcsn)
        .map(NoteLinks::identifier)
        .toList();
  }

  private static boolean isAcsn(org.hl7.fhir.r4.model.Identifier id) {
    return id.hasType()
        && id.getType().getCoding().stream().map(Coding::getCode).anyMatch("ACSN"::equals);
  }

  private static boolean isDicomUid(org.hl7.fhir.r4.model.Identifier id) {
    return DICOM_UID_SYSTEM.equals(id.getSystem()) || id.getValue().startsWith("urn:oid:");
  }

  private static String typeOf(String reference) {
    if (reference == null) {
      return "";
    }
    String typeAndId = ResourceIndex.typeAndId(reference);
    int slash = typeAndId.indexOf('/');
    return slash < 0 ? "" : typeAndId.substring(0, slash);
  }

  static Identifier identifier(org.hl7.fhir.r4.model.Identifier id) {
    return new Identifier(id.getSystem(), id.getValue());
  }
}
