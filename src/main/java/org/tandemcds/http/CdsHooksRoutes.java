package org.tandemcds.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Identifier;
import org.tandemcds.review.Auditor;
import org.tandemcds.review.Card;
import org.tandemcds.review.Cards;
import org.tandemcds.review.PatientKeys;
import org.tandemcds.security.CdsHooksJwtVerifier;
import org.tandemcds.security.VerifiedCall;
import org.tandemcds.store.Feedback;
import org.tandemcds.store.ReportStore;

/**
 * CDS Hooks (HL7 CDS Hooks 2.0): {@code GET /cds-services} (discovery), the {@code patient-view}
 * service {@code POST /cds-services/tandem-patient-view} and its {@code POST .../feedback}. Service
 * calls must carry the EHR's JWT ({@link CdsHooksJwtVerifier}); any failure is a bare 401. Cards
 * and feedback are audited; feedback is stored for retraining.
 */
public final class CdsHooksRoutes {
  public static final String SERVICE_ID = "tandem-patient-view";
  private static final Set<String> OUTCOMES = Set.of("accepted", "overridden");

  private final CdsHooksJwtVerifier verifier;
  private final Cards cards;
  private final ReportStore store;
  private final Auditor auditor;
  private final Supplier<String> baseUrl;
  private final Clock clock;

  private CdsHooksRoutes(
      CdsHooksJwtVerifier verifier,
      Cards cards,
      ReportStore store,
      Auditor auditor,
      Supplier<String> baseUrl,
      Clock clock) {
    this.verifier = verifier;
    this.cards = cards;
    this.store = store;
    this.auditor = auditor;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  /**
   * Registers the routes; {@code baseUrl} is the server's public base URL (no trailing slash): the
   * service URL {@code <base>/cds-services/tandem-patient-view} is the {@code aud} every JWT must
   * carry, and review links point below it.
   */
  public static void register(
      RoutesConfig routes,
      CdsHooksJwtVerifier verifier,
      Cards cards,
      ReportStore store,
      Auditor auditor,
      Supplier<String> baseUrl,
      Clock clock) {
    CdsHooksRoutes r = new CdsHooksRoutes(verifier, cards, store, auditor, baseUrl, clock);
    routes.get("/cds-services", r::discovery);
    routes.post("/cds-services/{id}", r::call);
    routes.post("/cds-services/{id}/feedback", r::feedback);
  }

  private String serviceUrl() {
    return baseUrl.get() + "/cds-services/" + SERVICE_ID;
  }

  private void discovery(Context ctx) {
    ObjectNode out = Json.object();
    ObjectNode service = out.putArray("services").addObject();
    service.put("hook", "patient-view");
    service.put("id", SERVICE_ID);
    service.put("title", "Tandem AI suggestions");
    service.put(
        "description",
        "AI-generated suggestions from the patient's imaging and clinical notes, awaiting"
            + " clinician review, and analyses still pending.");
    service.putObject("prefetch").put("patient", "Patient/{{context.patientId}}");
    Json.send(ctx, out);
  }

  private VerifiedCall verified(Context ctx) {
    if (!SERVICE_ID.equals(ctx.pathParam("id"))) {
      throw new CdsException(ErrorCode.RESULT_NOT_FOUND, "CDS Service " + ctx.pathParam("id"));
    }
    return verifier.verify(ctx.header("Authorization"), serviceUrl());
  }

  private void call(Context ctx) {
    VerifiedCall call = verified(ctx);
    JsonNode body = Json.body(ctx);
    if (!"patient-view".equals(body.path("hook").asText())) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "hook must be patient-view");
    }
    String patientId = body.path("context").path("patientId").asText("");
    if (patientId.isEmpty()) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "context.patientId is required");
    }
    Set<String> keys =
        PatientKeys.of(patientId, identifiers(body.path("prefetch").path("patient")));
    List<Card> found = cards.patientView(keys, baseUrl.get());
    auditor.record(
        AuditType.CDS_HOOKS,
        "R",
        "ehr/" + call.issuer(),
        keys.stream().findFirst(),
        Optional.of("patient-view"),
        true,
        "patient-view, " + found.size() + " cards");
    Json.send(ctx, java.util.Map.of("cards", found));
  }

  private static List<Identifier> identifiers(JsonNode patient) {
    List<Identifier> identifiers = new ArrayList<>();
    for (JsonNode identifier : patient.path("identifier")) {
      if (identifier.hasNonNull("system") && identifier.hasNonNull("value")) {
        identifiers.add(
            new Identifier(identifier.get("system").asText(), identifier.get("value").asText()));
      }
    }
    return identifiers;
  }

  private void feedback(Context ctx) {
    VerifiedCall call = verified(ctx);
    JsonNode items = Json.body(ctx).path("feedback");
    if (!items.isArray() || items.isEmpty()) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "feedback must be a non-empty array");
    }
    List<Feedback> feedback = new ArrayList<>();
    for (JsonNode item : items) {
      feedback.add(feedbackOf(item, call));
    }
    for (Feedback f : feedback) {
      store.recordFeedback(f);
      auditor.record(
          AuditType.CDS_HOOKS,
          "C",
          f.actor(),
          store.patientKeys(f.reportId()).stream().findFirst(),
          Optional.of("DiagnosticReport/" + f.reportId()),
          true,
          "card feedback: " + f.action());
    }
    ctx.status(200);
    Json.send(ctx, Json.object());
  }

  private Feedback feedbackOf(JsonNode item, VerifiedCall call) {
    String card = item.path("card").asText("");
    String outcome = item.path("outcome").asText("");
    if (!OUTCOMES.contains(outcome)) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "outcome must be accepted or overridden");
    }
    if (store.find(card).isEmpty()) {
      throw new CdsException(ErrorCode.RESULT_NOT_FOUND, "card " + card);
    }
    JsonNode override = item.path("overrideReason");
    String reason =
        override.isMissingNode()
            ? null
            : String.join(
                    " — ",
                    override
                        .path("reason")
                        .path("display")
                        .asText(override.path("reason").path("code").asText("")),
                    override.path("userComment").asText(""))
                .replaceAll("^ — | — $", "");
    return new Feedback(
        card,
        "cds-hooks",
        outcome,
        "ehr/" + call.issuer(),
        Optional.ofNullable(reason).filter(r -> !r.isBlank()),
        Optional.of(item.toString()),
        clock.instant());
  }
}
