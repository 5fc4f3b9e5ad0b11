package org.tandemcds.fhir;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.tandemcds.domain.ErrorCode;

/**
 * OperationOutcome JSON for a coded error: one issue of severity error whose {@code details}
 * carries the {@code TDM-nnn} code (system {@value #CODE_SYSTEM}) and whose {@code diagnostics} is
 * the detail (which carries no patient data by the {@link org.tandemcds.domain.CdsException}
 * contract). Thread-safe.
 */
public final class Outcomes {
  /** The code system of Tandem's error codes in OperationOutcomes. */
  public static final String CODE_SYSTEM = "https://tandemcds.org/fhir/CodeSystem/error-code";

  private final Fhir fhir;

  public Outcomes(Fhir fhir) {
    this.fhir = fhir;
  }

  /** The OperationOutcome for {@code code} with {@code detail}, as FHIR JSON. */
  public String json(ErrorCode code, String detail) {
    return fhir.context().newJsonParser().encodeResourceToString(outcome(code, detail));
  }

  /** An OperationOutcome of severity information saying what was done, as FHIR JSON. */
  public String informational(String diagnostics) {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(IssueSeverity.INFORMATION)
        .setCode(IssueType.INFORMATIONAL)
        .setDiagnostics(diagnostics);
    return fhir.context().newJsonParser().encodeResourceToString(outcome);
  }

  static OperationOutcome outcome(ErrorCode code, String detail) {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(code == ErrorCode.INTERNAL ? IssueSeverity.FATAL : IssueSeverity.ERROR)
        .setCode(issueType(code))
        .setDiagnostics(detail)
        .getDetails()
        .setText(code.meaning())
        .addCoding()
        .setSystem(CODE_SYSTEM)
        .setCode(code.code())
        .setDisplay(code.meaning());
    return outcome;
  }

  private static IssueType issueType(ErrorCode code) {
    return switch (code) {
      case HTTP_BODY_TOO_LARGE, HTTP_JSON_TOO_DEEP, DICOM_TOO_LARGE, NOTE_TOO_LARGE ->
          IssueType.TOOCOSTLY;
      case HTTP_NOT_FOUND, STUDY_NOT_FOUND, NOTE_NOT_FOUND, JOB_NOT_FOUND -> IssueType.NOTFOUND;
      case HTTP_METHOD_NOT_ALLOWED, HTTP_UNSUPPORTED_MEDIA_TYPE, FHIR_UNSUPPORTED_INTERACTION ->
          IssueType.NOTSUPPORTED;
      case STORE_CONFLICT -> IssueType.CONFLICT;
      case STORE_UNAVAILABLE, SERVICE_UNAVAILABLE, IO_FAILURE -> IssueType.TRANSIENT;
      case INTERNAL, ANALYSIS_FAILED, MODEL_FAILURE -> IssueType.EXCEPTION;
      case PATIENT_MISMATCH, PATIENT_UNVERIFIED -> IssueType.BUSINESSRULE;
      default -> IssueType.INVALID;
    };
  }
}
