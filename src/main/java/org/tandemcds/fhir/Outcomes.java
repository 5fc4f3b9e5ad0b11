package org.tandemcds.fhir;

import org.hl7.fhir.r4.model.Narrative.NarrativeStatus;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * OperationOutcomes for coded errors, the way every edge (CLI, HTTP) reports a failure: one issue
 * of severity error (fatal for {@code TDM-999}) whose {@code details} carries the {@code TDM-nnn}
 * code (system {@value #CODE_SYSTEM}) and its meaning, and whose {@code diagnostics} is the detail
 * (which carries no patient data by the {@link CdsException} contract). Thread-safe.
 */
public final class Outcomes {
  /** The code system of Tandem's error codes ({@code TDM-nnn}). */
  public static final String CODE_SYSTEM = Tandem.BASE + "/CodeSystem/error";

  private final Fhir fhir;

  public Outcomes(Fhir fhir) {
    this.fhir = fhir;
  }

  /** The OperationOutcome for {@code code} with {@code detail}, as FHIR JSON. */
  public String json(ErrorCode code, String detail) {
    return fhir.context().newJsonParser().encodeResourceToString(outcome(code, detail));
  }

  /**
   * The OperationOutcome of a coded failure with a narrative, as pretty-printed JSON (what {@code
   * tandem analyze} writes next to its outputs).
   */
  public String of(CdsException e) {
    OperationOutcome outcome = outcome(e.code(), e.detail());
    outcome.getText().setStatus(NarrativeStatus.GENERATED);
    outcome
        .getText()
        .setDivAsString(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>"
                + Html.escape(e.getMessage())
                + "</p></div>");
    return fhir.context().newJsonParser().setPrettyPrint(true).encodeResourceToString(outcome);
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
        .setText(code.code() + " " + code.meaning())
        .addCoding()
        .setSystem(CODE_SYSTEM)
        .setCode(code.code())
        .setDisplay(code.meaning());
    return outcome;
  }

  private static IssueType issueType(ErrorCode code) {
    return switch (code) {
      case HTTP_BODY_TOO_LARGE, HTTP_JSON_TOO_DEEP, DICOM_TOO_LARGE, NOTE_TOO_LARGE ->
          IssueType.TOOLONG;
      case HTTP_NOT_FOUND,
              STUDY_NOT_FOUND,
              NOTE_NOT_FOUND,
              JOB_NOT_FOUND,
              INPUT_NOT_FOUND,
              MODEL_NOT_FOUND,
              RESULT_NOT_FOUND ->
          IssueType.NOTFOUND;
      case HTTP_METHOD_NOT_ALLOWED, HTTP_UNSUPPORTED_MEDIA_TYPE, FHIR_UNSUPPORTED_INTERACTION ->
          IssueType.NOTSUPPORTED;
      case STORE_CONFLICT, ACCOUNT_EXISTS -> IssueType.CONFLICT;
      case UNAUTHENTICATED, JWT_REJECTED -> IssueType.LOGIN;
      case FORBIDDEN, CSRF_REJECTED -> IssueType.FORBIDDEN;
      case STORE_UNAVAILABLE, SERVICE_UNAVAILABLE, IO_FAILURE -> IssueType.TRANSIENT;
      case INTERNAL, ANALYSIS_FAILED, MODEL_FAILURE -> IssueType.EXCEPTION;
      case PATIENT_MISMATCH, PATIENT_UNVERIFIED, REVIEW_NOT_ALLOWED -> IssueType.BUSINESSRULE;
      default -> IssueType.INVALID;
    };
  }
}
