package org.tandemcds.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tandemcds.dicom.DisplayFrame;
import org.tandemcds.domain.AuditRecord;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.review.FindingSummary;
import org.tandemcds.review.PanelCases;
import org.tandemcds.review.ReviewServices;
import org.tandemcds.review.SuggestionSummary;
import org.tandemcds.security.Caller;
import org.tandemcds.store.CaseView;
import org.tandemcds.store.Suggestion;

/**
 * The clinician review panel (issue 8): its static page and assets at {@code /review} (served from
 * the class path, nothing from the internet), and what the page needs beyond the review API under
 * {@code /api/review}: the worklist with case headers, a case's explanation document, the analysed
 * frame's display pixels and the suggestion's audit trail. Reads need a clinician session with the
 * {@code clinician} role; the review actions stay in {@link ReviewRoutes}.
 */
public final class PanelRoutes {
  private static final String ROLE = "clinician";
  private static final Map<String, String> ASSETS =
      Map.of(
          "panel.js", "text/javascript; charset=utf-8",
          "panel.css", "text/css; charset=utf-8",
          "viewer.js", "text/javascript; charset=utf-8");
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  private static final int WORKLIST_LIMIT = 500;

  private final ReviewServices services;
  private final PanelCases cases;
  private final Guard guard;

  private PanelRoutes(ReviewServices services, PanelCases cases) {
    this.services = services;
    this.cases = cases;
    this.guard = new Guard(services.authenticator());
  }

  /**
   * The panel as a {@link Routes} for {@link HttpServer}: its page and assets are public, every
   * read needs a clinician session.
   */
  public static Routes module(ReviewServices services, PanelCases cases) {
    return new Routes() {
      @Override
      public void register(RoutesConfig routes) {
        PanelRoutes.register(routes, services, cases);
      }

      @Override
      public boolean authenticates() {
        return true;
      }
    };
  }

  /** Registers the panel's page, assets and read endpoints. */
  public static void register(RoutesConfig routes, ReviewServices services, PanelCases cases) {
    PanelRoutes r = new PanelRoutes(services, cases);
    routes.get("/review", r::page);
    routes.get("/review/suggestions/{id}", r::page);
    routes.get("/review/assets/{name}", r::asset);
    routes.get("/api/review/panel/worklist", r::worklist);
    routes.get("/api/review/suggestions/{id}/case", r::caseView);
    routes.get("/api/review/suggestions/{id}/image", r::image);
    routes.get("/api/review/suggestions/{id}/audit", r::audit);
  }

  private void page(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8").result(resource("index.html"));
  }

  private void asset(Context ctx) {
    String name = ctx.pathParam("name");
    String type = ASSETS.get(name);
    if (type == null) {
      throw new CdsException(ErrorCode.RESULT_NOT_FOUND, "no panel asset " + name);
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType(type).result(resource(name));
  }

  private static byte[] resource(String name) {
    try (InputStream in = PanelRoutes.class.getResourceAsStream("/panel/" + name)) {
      if (in == null) {
        throw new CdsException(ErrorCode.INTERNAL, "panel resource " + name + " is not packaged");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CdsException(ErrorCode.INTERNAL, "panel resource " + name + " unreadable", e);
    }
  }

  private void worklist(Context ctx) {
    Caller caller = guard.clinician(ctx, ROLE);
    Set<String> statuses =
        ctx.queryParam("status") == null
            ? Set.of("preliminary")
            : Set.of(ctx.queryParam("status").split(","));
    List<Suggestion> found =
        services
            .reports()
            .search(Set.of(), statuses, Optional.empty(), Optional.empty(), WORKLIST_LIMIT);
    Instant now = Instant.now();
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray("items");
    for (Suggestion s : found) {
      worklistItem(items.addObject(), s, now);
    }
    services
        .auditor()
        .record(
            AuditType.SEARCH,
            "E",
            caller.agent(),
            Optional.empty(),
            Optional.of("worklist"),
            true,
            "panel worklist, " + found.size() + " items");
    Json.send(ctx, out);
  }

  private void worklistItem(ObjectNode item, Suggestion s, Instant now) {
    item.put("id", s.reportId());
    item.put("version", s.versionId());
    item.put("status", s.status());
    item.put("model", s.modelName() + " " + s.modelVersion());
    item.put("createdAt", s.createdAt().toString());
    item.put("ageSeconds", Duration.between(s.createdAt(), now).toSeconds());
    item.put("indicator", services.cards().card(s, "").indicator());
    Optional<CaseView> view = cases.find(s.reportId());
    item.put("patient", view.map(CaseView::patientLabel).orElse(""));
    item.put("studyDate", view.map(CaseView::studyDate).orElse(""));
    item.put("studyDescription", view.map(CaseView::studyDescription).orElse(""));
    item.put("modality", view.map(CaseView::modality).orElse(""));
    SuggestionSummary summary = SuggestionSummary.fromJson(s.summaryJson());
    item.put("mode", summary.mode());
    ArrayNode positives = item.putArray("positive");
    for (FindingSummary f : summary.findings()) {
      if (f.positive()) {
        positives.addObject().put("finding", f.finding()).put("probability", f.probability());
      }
    }
  }

  private void caseView(Context ctx) {
    Caller caller = guard.clinician(ctx, ROLE);
    String id = ctx.pathParam("id");
    services.reports().get(id);
    CaseView view = cases.view(id);
    ObjectNode out = Json.object();
    out.put("id", id);
    out.put("patient", view.patientLabel());
    out.put("studyDate", view.studyDate());
    out.put("studyDescription", view.studyDescription());
    out.put("modality", view.modality());
    out.put("hasImage", view.sopInstanceUid().isPresent());
    out.set("document", Json.parse(view.documentJson()));
    audit(caller, id, "case view read");
    Json.send(ctx, out);
  }

  private void image(Context ctx) {
    Caller caller = guard.clinician(ctx, ROLE);
    String id = ctx.pathParam("id");
    services.reports().get(id);
    DisplayFrame frame = cases.frame(id);
    ctx.header("X-Rows", Integer.toString(frame.rows()));
    ctx.header("X-Columns", Integer.toString(frame.columns()));
    ctx.header("X-Value-Offset", Double.toString(frame.offset()));
    ctx.header("X-Value-Scale", Double.toString(frame.scale()));
    ctx.header("X-Inverted", Boolean.toString(frame.inverted()));
    ctx.header("X-Window-Center", Double.toString(frame.windowCenter()));
    ctx.header("X-Window-Width", Double.toString(frame.windowWidth()));
    ctx.header("Cache-Control", "private, no-store");
    audit(caller, id, "case image read");
    ctx.disableCompression();
    ctx.contentType("application/octet-stream").result(frame.littleEndian());
  }

  private void audit(Context ctx) {
    Caller caller = guard.clinician(ctx, ROLE);
    String id = ctx.pathParam("id");
    services.reports().get(id);
    String entity = "DiagnosticReport/" + id;
    ArrayNode events = Json.MAPPER.createArrayNode();
    Set<String> keys = Set.copyOf(services.reports().patientKeys(id));
    if (!keys.isEmpty()) {
      for (AuditRecord r : services.audit().query(keys, Optional.empty(), 1000)) {
        if (r.entity().filter(entity::equals).isPresent()) {
          events
              .addObject()
              .put("recorded", r.recorded().toString())
              .put("type", r.type())
              .put("action", r.action())
              .put("agent", r.agent())
              .put("outcome", r.outcome())
              .put("description", r.description());
        }
      }
    }
    audit(caller, id, "audit trail read");
    ObjectNode out = Json.object();
    out.set("events", events);
    Json.send(ctx, out);
  }

  private void audit(Caller caller, String reportId, String what) {
    services
        .auditor()
        .record(
            AuditType.READ,
            "R",
            caller.agent(),
            services.reports().patientKeys(reportId).stream().findFirst(),
            Optional.of("DiagnosticReport/" + reportId),
            true,
            what);
  }
}
