package org.tandemcds.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.samples.SampleNote;
import org.tandemcds.samples.SampleStudy.BundleSpec;

/**
 * Writes a synthetic study's FHIR R4 Bundle (type collection): Patient (identifier = DICOM
 * PatientID, system = {@code urn:oid:} + the issuer's OID), ServiceRequest (reason, ACSN
 * identifier), ImagingStudy (StudyInstanceUID as {@code urn:oid:} identifier) unless note-only, and
 * the note as a DocumentReference (text/plain; charset=utf-8, base64) unless image-only. fullUrls
 * are {@code urn:uuid:} values derived from the StudyInstanceUID, so output is deterministic.
 * Thread-safe (the FhirContext is).
 */
public final class SampleBundleWriter {
  static final String ACCESSION_SYSTEM = "urn:oid:2.25.96251378914370288471013256337592153418";
  private final FhirContext context;

  public SampleBundleWriter(Fhir fhir) {
    this.context = fhir.context();
  }

  /** The Bundle as pretty-printed JSON. */
  public String toJson(BundleSpec spec) {
    return context.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle(spec));
  }

  /** Writes {@link #toJson} to {@code file} (via {@code file.part}). */
  public void write(BundleSpec spec, Path file) {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    try {
      Files.writeString(part, toJson(spec), StandardCharsets.UTF_8);
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  Bundle bundle(BundleSpec s) {
    Bundle b = new Bundle().setType(Bundle.BundleType.COLLECTION);
    b.setId(s.id());
    String patient = fullUrl(s, "Patient");
    add(b, patient, patient(s));
    add(b, fullUrl(s, "ServiceRequest"), serviceRequest(s, patient));
    if (s.hasImage()) {
      add(b, fullUrl(s, "ImagingStudy"), imagingStudy(s, patient));
    }
    s.note().ifPresent(n -> add(b, fullUrl(s, "DocumentReference"), note(s, n, patient)));
    return b;
  }

  private static String fullUrl(BundleSpec s, String type) {
    return "urn:uuid:"
        + UUID.nameUUIDFromBytes(
            (s.studyInstanceUid() + "/" + type).getBytes(StandardCharsets.UTF_8));
  }

  private static void add(Bundle b, String fullUrl, Resource r) {
    r.setId(fullUrl.substring("urn:uuid:".length()));
    b.addEntry().setFullUrl(fullUrl).setResource(r);
  }

  private static Patient patient(BundleSpec s) {
    Patient p = new Patient();
    p.addIdentifier()
        .setSystem(s.patient().identifierSystem())
        .setValue(s.patient().id())
        .setType(
            new CodeableConcept(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/v2-0203",
                    "MR",
                    "Medical record number")));
    p.addName(new HumanName().setFamily(s.patient().family()).addGiven(s.patient().given()));
    p.setGender(
        s.patient().sex().equals("F")
            ? Enumerations.AdministrativeGender.FEMALE
            : Enumerations.AdministrativeGender.MALE);
    p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(dicomDate(s.patient().birthDate())));
    return p;
  }

  private static Identifier accession(BundleSpec s) {
    return new Identifier()
        .setSystem(ACCESSION_SYSTEM)
        .setValue(s.accessionNumber())
        .setType(
            new CodeableConcept(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN", "Accession ID")));
  }

  private static ServiceRequest serviceRequest(BundleSpec s, String patient) {
    ServiceRequest r = new ServiceRequest();
    r.addIdentifier(accession(s));
    r.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
    r.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    r.setCode(
        new CodeableConcept(new Coding("http://loinc.org", "36643-5", "XR Chest 2 Views"))
            .setText("XR chest " + s.viewPosition()));
    r.setSubject(new Reference(patient));
    s.note().ifPresent(n -> r.addReasonCode(new CodeableConcept().setText(n.reason())));
    return r;
  }

  private static ImagingStudy imagingStudy(BundleSpec s, String patient) {
    ImagingStudy st = new ImagingStudy();
    st.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + s.studyInstanceUid());
    st.addIdentifier(accession(s));
    st.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    st.setSubject(new Reference(patient));
    st.setStartedElement(new DateTimeType(dicomDateTime(s.studyDate(), s.studyTime())));
    st.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", s.modality(), null));
    st.addSeries()
        .setUid(s.seriesInstanceUid())
        .setNumber(1)
        .setModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", s.modality(), null))
        .addInstance()
        .setUid(s.sopInstanceUid())
        .setNumber(1)
        .setSopClass(new Coding("urn:ietf:rfc:3986", "urn:oid:" + sopClass(s), null));
    return st;
  }

  private static String sopClass(BundleSpec s) {
    return s.modality().equals("CR") ? "1.2.840.10008.5.1.4.1.1.1" : "1.2.840.10008.5.1.4.1.1.1.1";
  }

  private static DocumentReference note(BundleSpec s, SampleNote n, String patient) {
    DocumentReference d = new DocumentReference();
    d.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
    d.setType(new CodeableConcept(new Coding("http://loinc.org", "11506-3", "Progress note")));
    d.setSubject(new Reference(patient));
    d.setDateElement(new org.hl7.fhir.r4.model.InstantType(dicomDateTime(s.studyDate(), "070000")));
    d.addAuthor(new Reference().setDisplay(n.author()));
    d.getContext().addRelated(new Reference().setIdentifier(accession(s)));
    d.addContent()
        .setAttachment(
            new Attachment()
                .setContentType("text/plain; charset=utf-8")
                .setData(n.text().getBytes(StandardCharsets.UTF_8)));
    return d;
  }

  private static String dicomDate(String d) {
    return d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6, 8);
  }

  private static String dicomDateTime(String d, String t) {
    return dicomDate(d)
        + "T"
        + t.substring(0, 2)
        + ":"
        + t.substring(2, 4)
        + ":"
        + t.substring(4, 6)
        + "+00:00";
  }
}
