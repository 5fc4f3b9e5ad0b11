package org.tandemcds.domain;

import java.util.Optional;

/**
 * What an audit event records, with its FHIR R4 {@code AuditEvent.type} and {@code subtype}: a FHIR
 * REST interaction is type {@code rest} with the {@code restful-interaction} subtype; anything else
 * carries the DICOM audit message codes (PS3.16, system {@value #DCM}). The {@link #code()} is what
 * the audit table stores.
 */
public enum AuditType {
  /** A FHIR read of a resource's current version. */
  READ("read", Coding.REST, Coding.interaction("read")),
  /** A FHIR read of one version ({@code _history/{vid}}). */
  VREAD("vread", Coding.REST, Coding.interaction("vread")),
  /** A FHIR read of a resource's history. */
  HISTORY("history", Coding.REST, Coding.interaction("history-instance")),
  /** A FHIR search (and the review worklist). */
  SEARCH("search", Coding.REST, Coding.interaction("search-type")),
  /** A FHIR create ({@code POST /fhir/DocumentReference}). */
  CREATE("create", Coding.REST, Coding.interaction("create")),
  /** One entry of a FHIR transaction Bundle. */
  TRANSACTION("transaction", Coding.REST, Coding.interaction("transaction")),
  /** One entry of a FHIR batch Bundle. */
  BATCH("batch", Coding.REST, Coding.interaction("batch")),
  /** A FHIR operation ({@code DiagnosticReport/$analyze} and its asynchronous result). */
  OPERATION("operation", Coding.REST, Coding.interaction("operation")),
  /** DICOM instances received (STOW-RS per study, C-STORE per instance). */
  INSTANCES_TRANSFERRED(
      "dicom-transfer", Coding.dcm("110104", "DICOM Instances Transferred"), null),
  /** An AI suggestion stored from an analysis. */
  ANALYSIS("analysis", Coding.dcm("110110", "Patient Record"), null),
  /** A clinician's review action on a suggestion. */
  REVIEW("review", Coding.dcm("110110", "Patient Record"), null),
  /** A CDS Hooks service call ({@code patient-view} cards) or card feedback. */
  CDS_HOOKS("cds-hooks", Coding.dcm("110110", "Patient Record"), null),
  /** A clinician's login (also refused ones). */
  LOGIN("login", Coding.dcm("110114", "User Authentication"), Coding.dcm("110122", "Login")),
  /** A clinician's logout. */
  LOGOUT("logout", Coding.dcm("110114", "User Authentication"), Coding.dcm("110123", "Logout")),
  /** A request refused for missing or insufficient credentials. */
  ACCESS_REFUSED(
      "access",
      Coding.dcm("110113", "Security Alert"),
      Coding.dcm("110132", "Use of a restricted function")),
  /** A read of the audit trail. */
  AUDIT_READ("audit-read", Coding.dcm("110101", "Audit Log Used"), null),
  /** A change of accounts or tokens by an administrator (CLI). */
  SECURITY_ADMIN(
      "security-admin",
      Coding.dcm("110113", "Security Alert"),
      Coding.dcm("110137", "User security Attributes Changed"));

  public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

  private final String code;
  private final Coding type;
  private final Coding subtype;

  AuditType(String code, Coding type, Coding subtype) {
    this.code = code;
    this.type = type;
    this.subtype = subtype;
  }

  /** The code stored in the audit table. */
  public String code() {
    return code;
  }

  public Coding type() {
    return type;
  }

  public Optional<Coding> subtype() {
    return Optional.ofNullable(subtype);
  }

  /** The type stored under {@code code}, if it is one of these. */
  public static Optional<AuditType> of(String code) {
    for (AuditType t : values()) {
      if (t.code.equals(code)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** A terminology code. */
  public record Coding(String system, String code, String display) {
    static final Coding REST =
        new Coding(
            "http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation");

    static Coding interaction(String code) {
      return new Coding("http://hl7.org/fhir/restful-interaction", code, code);
    }

    static Coding dcm(String code, String display) {
      return new Coding(DCM, code, display);
    }
  }
}
