package org.tandemcds.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FhirResource;
import org.tandemcds.fhir.ReviewResources;
import org.tandemcds.fhir.ReviewResources.Reviewer;
import org.tandemcds.store.Feedback;
import org.tandemcds.store.ReportStore;
import org.tandemcds.store.Suggestion;

/**
 * A clinician's review actions on a suggestion. Accept: {@code preliminary → final}, the clinician
 * as {@code resultsInterpreter} and a new Provenance. Amend: {@code preliminary | final | amended →
 * amended} with the edited conclusion and Observations, every earlier version kept. Reject with a
 * reason: {@code preliminary → cancelled}; a cancelled suggestion is never sent on (see {@link
 * #maySendOn}). Each action names the version it was based on, is recorded as feedback for
 * retraining, and is audited.
 *
 * <p>Thread-safe. Errors: {@link ErrorCode#RESULT_NOT_FOUND}, {@link ErrorCode#REVIEW_NOT_ALLOWED},
 * {@link ErrorCode#REVIEW_INVALID}.
 */
public final class Reviews {
  private static final Logger log = LoggerFactory.getLogger(Reviews.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REASON = 2000;

  private final ReportStore store;
  private final ReviewResources fhir;
  private final Auditor auditor;
  private final Clock clock;

  public Reviews(ReportStore store, ReviewResources fhir, Auditor auditor, Clock clock) {
    this.store = store;
    this.fhir = fhir;
    this.auditor = auditor;
    this.clock = clock;
  }

  public Suggestion accept(Reviewer reviewer, String reportId, int basedOnVersion) {
    Instant now = clock.instant();
    FhirResource report = currentReport(reportId);
    return apply(
        reviewer,
        reportId,
        Set.of("preliminary"),
        basedOnVersion,
        "final",
        fhir.accept(report, reviewer, now),
        "accept",
        Optional.empty(),
        Optional.empty(),
        now);
  }

  /**
   * @param conclusion the new conclusion (blank keeps the old one)
   * @param present Observation id → whether the clinician says the finding is present
   * @param reason why, if given
   */
  public Suggestion amend(
      Reviewer reviewer,
      String reportId,
      int basedOnVersion,
      String conclusion,
      Map<String, Boolean> present,
      Optional<String> reason) {
    if ((conclusion == null || conclusion.isBlank()) && present.isEmpty()) {
      throw new CdsException(
          ErrorCode.REVIEW_INVALID, "an amendment needs a conclusion or an edited finding");
    }
    reason.ifPresent(Reviews::checkReason);
    Instant now = clock.instant();
    List<FhirResource> observations =
        store.resourcesOf(reportId).stream().filter(r -> r.type().equals("Observation")).toList();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("conclusion", conclusion);
    detail.put("present", present);
    return apply(
        reviewer,
        reportId,
        Set.of("preliminary", "final", "amended"),
        basedOnVersion,
        "amended",
        fhir.amend(currentReport(reportId), observations, conclusion, present, reviewer, now),
        "amend",
        reason,
        Optional.of(json(detail)),
        now);
  }

  public Suggestion reject(Reviewer reviewer, String reportId, int basedOnVersion, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new CdsException(ErrorCode.REVIEW_INVALID, "a rejection needs a reason");
    }
    checkReason(reason);
    Instant now = clock.instant();
    return apply(
        reviewer,
        reportId,
        Set.of("preliminary"),
        basedOnVersion,
        "cancelled",
        fhir.reject(currentReport(reportId), reason, reviewer, now),
        "reject",
        Optional.of(reason),
        Optional.empty(),
        now);
  }

  /**
   * Whether anything of the suggestion may be sent to the EHR or PACS: only once a clinician
   * accepted or amended it.
   */
  public boolean maySendOn(String reportId) {
    String status = store.get(reportId).status();
    return status.equals("final") || status.equals("amended");
  }

  private Suggestion apply(
      Reviewer reviewer,
      String reportId,
      Set<String> from,
      int basedOnVersion,
      String to,
      List<FhirResource> newVersions,
      String action,
      Optional<String> reason,
      Optional<String> detail,
      Instant now) {
    String agent = "clinician/" + reviewer.username();
    Optional<String> patient = store.patientKeys(reportId).stream().findFirst();
    Optional<String> entity = Optional.of("DiagnosticReport/" + reportId);
    try {
      Suggestion done =
          store.review(
              reportId,
              from,
              basedOnVersion,
              to,
              newVersions,
              new Feedback(reportId, "review", action, agent, reason, detail, now));
      auditor.record(AuditType.REVIEW, "U", agent, patient, entity, true, action + " → " + to);
      log.info("DiagnosticReport/{}: {} by a clinician, now {}", reportId, action, to);
      return done;
    } catch (CdsException e) {
      auditor.record(
          AuditType.REVIEW,
          "U",
          agent,
          patient,
          entity,
          false,
          action + " refused: " + e.code().code());
      throw e;
    }
  }

  private FhirResource currentReport(String reportId) {
    return store
        .read("DiagnosticReport", reportId)
        .orElseThrow(
            () -> new CdsException(ErrorCode.RESULT_NOT_FOUND, "DiagnosticReport/" + reportId));
  }

  private static void checkReason(String reason) {
    if (reason.length() > MAX_REASON) {
      throw new CdsException(
          ErrorCode.REVIEW_INVALID, "reason is longer than " + MAX_REASON + " characters");
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new CdsException(ErrorCode.INTERNAL, "feedback detail cannot be written", e);
    }
  }
}
