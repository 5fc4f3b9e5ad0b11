package org.tandemcds.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FhirResource;
import org.tandemcds.fhir.ReviewResources.Reviewer;
import org.tandemcds.review.Auditor;
import org.tandemcds.review.Cards;
import org.tandemcds.review.Reviews;
import org.tandemcds.security.Authenticator;
import org.tandemcds.security.Caller;
import org.tandemcds.store.Feedback;
import org.tandemcds.store.ReportStore;
import org.tandemcds.store.Suggestion;

/**
 * The review panel's JSON API under {@code /api/review} (see docs/api.md): login and logout
 * (session cookie, CSRF token), the worklist, a case's detail, and the accept, amend and reject
 * actions. Every state-changing request needs the session's {@code X-CSRF-Token} header; every
 * request is audited.
 */
public final class ReviewRoutes {
  private static final String ROLE = "clinician";

  private final Authenticator authenticator;
  private final Guard guard;
  private final ReportStore store;
  private final Reviews reviews;
  private final Cards cards;
  private final Auditor auditor;
  private final boolean secureCookies;

  private ReviewRoutes(
      Authenticator authenticator,
      ReportStore store,
      Reviews reviews,
      Cards cards,
      Auditor auditor,
      boolean secureCookies) {
    this.authenticator = authenticator;
    this.guard = new Guard(authenticator);
    this.store = store;
    this.reviews = reviews;
    this.cards = cards;
    this.auditor = auditor;
    this.secureCookies = secureCookies;
  }

  /** Registers the routes; {@code secureCookies} when the server is reached over TLS. */
  public static void register(
      RoutesConfig routes,
      Authenticator authenticator,
      ReportStore store,
      Reviews reviews,
      Cards cards,
      Auditor auditor,
      boolean secureCookies) {
    ReviewRoutes r = new ReviewRoutes(authenticator, store, reviews, cards, auditor, secureCookies);
    routes.post("/api/review/login", r::login);
    routes.post("/api/review/logout", r::logout);
    routes.get("/api/review/session", r::session);
    routes.get("/api/review/worklist", r::worklist);
    routes.get("/api/review/suggestions/{id}", r::detail);
    routes.post("/api/review/suggestions/{id}/accept", r::accept);
    routes.post("/api/review/suggestions/{id}/amend", r::amend);
    routes.post("/api/review/suggestions/{id}/reject", r::reject);
  }

  private void login(Context ctx) {
    JsonNode body = Json.body(ctx);
    String username = body.path("username").asText(null);
    char[] password = body.path("password").asText("").toCharArray();
    Authenticator.Login login;
    try {
      login = authenticator.login(username, password);
    } catch (CdsException e) {
      auditor.record(
          AuditType.LOGIN,
          "E",
          "clinician/unknown",
          Optional.empty(),
          Optional.empty(),
          false,
          "login refused");
      throw e;
    }
    long maxAge =
        Math.max(0, login.expiresAt().getEpochSecond() - java.time.Instant.now().getEpochSecond());
    ctx.header(
        "Set-Cookie",
        Guard.SESSION_COOKIE
            + "="
            + login.sessionCookie()
            + "; Path=/; Max-Age="
            + maxAge
            + "; HttpOnly; SameSite=Strict"
            + (secureCookies ? "; Secure" : ""));
    auditor.record(
        AuditType.LOGIN,
        "E",
        login.caller().agent(),
        Optional.empty(),
        Optional.empty(),
        true,
        "login");
    Json.send(ctx, sessionJson(login.caller()));
  }

  private void logout(Context ctx) {
    Caller caller = guard.clinicianChanging(ctx, ROLE);
    authenticator.logout(ctx.cookie(Guard.SESSION_COOKIE));
    ctx.header(
        "Set-Cookie",
        Guard.SESSION_COOKIE
            + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
            + (secureCookies ? "; Secure" : ""));
    auditor.record(
        AuditType.LOGOUT, "E", caller.agent(), Optional.empty(), Optional.empty(), true, "logout");
    ctx.status(204);
  }

  private void session(Context ctx) {
    Json.send(ctx, sessionJson(guard.clinician(ctx, ROLE)));
  }

  private static ObjectNode sessionJson(Caller caller) {
    ObjectNode node = Json.object();
    node.put("username", caller.username().orElse(""));
    node.put("displayName", caller.displayName());
    caller.permissions().stream().sorted().forEach(node.putArray("roles")::add);
    node.put("csrfToken", caller.csrfToken().orElse(""));
    return node;
  }

  private void worklist(Context ctx) {
    Caller caller = guard.clinician(ctx, ROLE);
    Set<String> statuses = new HashSet<>();
    for (String value : ctx.queryParams("status")) {
      statuses.addAll(List.of(value.split(",")));
    }
    if (statuses.isEmpty()) {
      statuses.add("preliminary");
    }
    Set<String> patients = ResultRoutes.patientKeys(ctx);
    List<Suggestion> found =
        store.search(
            patients, statuses, Optional.empty(), Optional.empty(), ResultRoutes.count(ctx));
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray("items");
    for (Suggestion s : found) {
      items.add(item(s));
    }
    auditor.record(
        AuditType.SEARCH,
        "E",
        caller.agent(),
        patients.stream().sorted().findFirst(),
        Optional.of("worklist"),
        true,
        "worklist, " + found.size() + " items");
    Json.send(ctx, out);
  }

  private ObjectNode item(Suggestion s) {
    ObjectNode item = Json.object();
    item.put("id", s.reportId());
    item.put("version", s.versionId());
    item.put("status", s.status());
    item.put("runId", s.runId());
    item.put("studyInstanceUid", s.studyInstanceUid().orElse(null));
    store.patientKeys(s.reportId()).forEach(item.putArray("patientKeys")::add);
    item.put("model", s.modelName() + " " + s.modelVersion());
    item.put("createdAt", s.createdAt().toString());
    item.put("updatedAt", s.updatedAt().toString());
    var card = cards.card(s, "");
    item.put("indicator", card.indicator());
    item.put("summary", card.summary());
    item.set("findings", Json.parse(s.summaryJson()).path("findings"));
    return item;
  }

  private void detail(Context ctx) {
    Caller caller = guard.clinician(ctx, ROLE);
    Suggestion s = store.get(ctx.pathParam("id"));
    ObjectNode out = item(s);
    ObjectNode resources = out.putObject("resources");
    for (FhirResource r : store.resourcesOf(s.reportId())) {
      JsonNode json = Json.parse(r.json());
      if (r.type().equals("DiagnosticReport")) {
        resources.set("DiagnosticReport", json);
      } else {
        resources.withArray(r.type()).add(json);
      }
    }
    ArrayNode history = out.putArray("reportHistory");
    store.history("DiagnosticReport", s.reportId()).forEach(v -> history.add(Json.parse(v.json())));
    ArrayNode feedback = out.putArray("feedback");
    for (Feedback f : store.feedback(s.reportId())) {
      ObjectNode node = feedback.addObject();
      node.put("source", f.source());
      node.put("action", f.action());
      node.put("actor", f.actor());
      node.put("reason", f.reason().orElse(null));
      node.put("recordedAt", f.recordedAt().toString());
    }
    auditor.record(
        AuditType.READ,
        "R",
        caller.agent(),
        store.patientKeys(s.reportId()).stream().findFirst(),
        Optional.of("DiagnosticReport/" + s.reportId()),
        true,
        "case detail read");
    Json.send(ctx, out);
  }

  private void accept(Context ctx) {
    Caller caller = guard.clinicianChanging(ctx, ROLE);
    JsonNode body = Json.body(ctx);
    Json.send(ctx, item(reviews.accept(reviewer(caller), ctx.pathParam("id"), version(body))));
  }

  private void amend(Context ctx) {
    Caller caller = guard.clinicianChanging(ctx, ROLE);
    JsonNode body = Json.body(ctx);
    Map<String, Boolean> present = new LinkedHashMap<>();
    JsonNode edits = body.path("present");
    for (Iterator<Map.Entry<String, JsonNode>> it = edits.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isBoolean()) {
        throw new CdsException(ErrorCode.REVIEW_INVALID, "present values must be true or false");
      }
      present.put(e.getKey(), e.getValue().booleanValue());
    }
    Suggestion done =
        reviews.amend(
            reviewer(caller),
            ctx.pathParam("id"),
            version(body),
            body.path("conclusion").asText(null),
            present,
            Optional.ofNullable(body.path("reason").asText(null)));
    Json.send(ctx, item(done));
  }

  private void reject(Context ctx) {
    Caller caller = guard.clinicianChanging(ctx, ROLE);
    JsonNode body = Json.body(ctx);
    Json.send(
        ctx,
        item(
            reviews.reject(
                reviewer(caller),
                ctx.pathParam("id"),
                version(body),
                body.path("reason").asText(null))));
  }

  private static int version(JsonNode body) {
    if (!body.path("version").canConvertToInt() || !body.path("version").isIntegralNumber()) {
      throw new CdsException(
          ErrorCode.REVIEW_INVALID,
          "version (the suggestion's version the action is based on) is required");
    }
    return body.path("version").intValue();
  }

  private static Reviewer reviewer(Caller caller) {
    return new Reviewer(caller.username().orElseThrow(), caller.displayName());
  }
}
