package org.tandemcds.fhir;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** FHIR OperationOutcomes for coded errors, the way every edge reports a failure. Thread-safe. */
public final class Outcomes {
  /** The code system of Tandem's error codes ({@code TDM-nnn}). */
  public static final String ERROR_SYSTEM = Tandem.BASE + "/CodeSystem/error";

  private final Fhir fhir;

  public Outcomes(Fhir fhir) {
    this.fhir = fhir;
  }

  /**
   * The OperationOutcome of a coded failure, as pretty-printed JSON: the code, its meaning, the
   * detail (which names the input and the reason) and the FHIR issue type.
   */
  public String of(CdsException e) {
    OperationOutcome outcome = new OperationOutcome();
    OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue();
    issue.setSeverity(
        e.code() == ErrorCode.INTERNAL
            ? OperationOutcome.IssueSeverity.FATAL
            : OperationOutcome.IssueSeverity.ERROR);
    issue.setCode(type(e.code()));
    issue
        .getDetails()
        .setText(e.code().code() + " " + e.code().meaning())
        .addCoding()
        .setSystem(ERROR_SYSTEM)
        .setCode(e.code().code())
        .setDisplay(e.code().meaning());
    issue.setDiagnostics(e.detail());
    outcome.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED);
    outcome
        .getText()
        .setDivAsString(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>"
                + Html.escape(e.getMessage())
                + "</p></div>");
    return fhir.context().newJsonParser().setPrettyPrint(true).encodeResourceToString(outcome);
  }

  private static OperationOutcome.IssueType type(ErrorCode code) {
    int n = code.number();
    if (code == ErrorCode.INPUT_NOT_FOUND || code == ErrorCode.MODEL_NOT_FOUND) {
      return OperationOutcome.IssueType.NOTFOUND;
    }
    if (code == ErrorCode.DICOM_TOO_LARGE || code == ErrorCode.NOTE_TOO_LARGE) {
      return OperationOutcome.IssueType.TOOLONG;
    }
    if (n < 500 && code != ErrorCode.IO_FAILURE) {
      return OperationOutcome.IssueType.INVALID;
    }
    return OperationOutcome.IssueType.EXCEPTION;
  }
}
