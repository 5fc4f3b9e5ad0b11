package org.tandemcds.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FhirResource;
import org.tandemcds.domain.Identifier;
import org.tandemcds.fhir.FhirOutputs;
import org.tandemcds.review.Auditor;
import org.tandemcds.review.PatientKeys;
import org.tandemcds.security.Caller;
import org.tandemcds.store.ReportStore;
import org.tandemcds.store.Suggestion;

/**
 * FHIR reads of stored suggestions: {@code GET
 * /fhir/DiagnosticReport?patient=&status=&_lastUpdated=} and reads (current version, {@code
 * _history}, {@code _history/{vid}}) of the report, its Observations, Media, Device and Provenance.
 * Callers: clinicians (session) or system clients with {@code system/<Type>.read} or {@code
 * system/*.read}. Every read is audited.
 */
public final class ResultRoutes {
  static final Set<String> TYPES =
      Set.of("DiagnosticReport", "Observation", "Media", "Device", "Provenance");
  private static final int DEFAULT_COUNT = 50;
  private static final int MAX_COUNT = 500;

  private final ReportStore store;
  private final FhirOutputs outputs;
  private final Auditor auditor;
  private final Guard guard;
  private final Supplier<String> baseUrl;

  private ResultRoutes(
      ReportStore store,
      FhirOutputs outputs,
      Auditor auditor,
      Guard guard,
      Supplier<String> baseUrl) {
    this.store = store;
    this.outputs = outputs;
    this.auditor = auditor;
    this.guard = guard;
    this.baseUrl = baseUrl;
  }

  /** Registers the routes; {@code baseUrl} is the server's public base URL (no trailing slash). */
  public static void register(
      RoutesConfig routes,
      ReportStore store,
      FhirOutputs outputs,
      Auditor auditor,
      org.tandemcds.security.Authenticator authenticator,
      Supplier<String> baseUrl) {
    ResultRoutes r = new ResultRoutes(store, outputs, auditor, new Guard(authenticator), baseUrl);
    routes.get("/fhir/DiagnosticReport", r::search);
    routes.get("/fhir/{type}/{id}", r::read);
    routes.get("/fhir/{type}/{id}/_history", r::history);
    routes.get("/fhir/{type}/{id}/_history/{vid}", r::version);
  }

  private Caller reader(Context ctx, String type) {
    return guard.callerWith(ctx, "clinician", "system/" + type + ".read", "system/*.read");
  }

  private void search(Context ctx) {
    Caller caller = reader(ctx, "DiagnosticReport");
    Set<String> patients = patientKeys(ctx);
    Set<String> statuses = new HashSet<>();
    for (String value : ctx.queryParams("status")) {
      statuses.addAll(List.of(value.split(",")));
    }
    Optional<Instant> from = Optional.empty();
    Optional<Instant> before = Optional.empty();
    for (String value : ctx.queryParams("_lastUpdated")) {
      Instant at = instant(value.substring(Math.min(2, value.length())));
      switch (value.length() < 2 ? "" : value.substring(0, 2)) {
        case "ge" -> from = Optional.of(at);
        case "gt" -> from = Optional.of(at.plusNanos(1000));
        case "lt" -> before = Optional.of(at);
        case "le" -> before = Optional.of(at.plusNanos(1000));
        default ->
            throw new CdsException(
                ErrorCode.INVALID_ARGUMENT, "_lastUpdated needs a ge, gt, le or lt prefix");
      }
    }
    List<Suggestion> found = store.search(patients, statuses, from, before, count(ctx));
    List<FhirResource> reports = new ArrayList<>();
    for (Suggestion s : found) {
      store.read("DiagnosticReport", s.reportId()).ifPresent(reports::add);
    }
    auditor.record(
        AuditType.SEARCH,
        "E",
        caller.agent(),
        patients.stream().sorted().findFirst(),
        Optional.of("DiagnosticReport"),
        true,
        "DiagnosticReport search, " + reports.size() + " found");
    Json.sendFhir(ctx, outputs.searchset(baseUrl.get() + "/fhir", reports));
  }

  private void read(Context ctx) {
    String type = type(ctx);
    Caller caller = reader(ctx, type);
    FhirResource resource = store.read(type, ctx.pathParam("id")).orElseThrow(() -> notFound(ctx));
    audit(caller, resource.reference(), AuditType.READ, "read");
    Json.sendFhir(ctx, resource.json());
  }

  private void history(Context ctx) {
    String type = type(ctx);
    Caller caller = reader(ctx, type);
    List<FhirResource> versions = store.history(type, ctx.pathParam("id"));
    if (versions.isEmpty()) {
      throw notFound(ctx);
    }
    audit(caller, versions.get(0).reference(), AuditType.HISTORY, "history read");
    Json.sendFhir(ctx, outputs.history(baseUrl.get() + "/fhir", versions));
  }

  private void version(Context ctx) {
    String type = type(ctx);
    Caller caller = reader(ctx, type);
    FhirResource resource =
        store.history(type, ctx.pathParam("id")).stream()
            .filter(r -> Integer.toString(r.versionId()).equals(ctx.pathParam("vid")))
            .findFirst()
            .orElseThrow(() -> notFound(ctx));
    audit(caller, resource.reference(), AuditType.VREAD, "version read");
    Json.sendFhir(ctx, resource.json());
  }

  private void audit(Caller caller, String reference, AuditType type, String what) {
    String[] parts = reference.split("/");
    Optional<String> patient =
        store
            .reportIdOf(parts[0], parts[1])
            .flatMap(id -> store.patientKeys(id).stream().findFirst());
    auditor.record(
        type, "R", caller.agent(), patient, Optional.of(reference), true, parts[0] + " " + what);
  }

  private static String type(Context ctx) {
    String type = ctx.pathParam("type");
    if (!TYPES.contains(type)) {
      throw new CdsException(
          ErrorCode.RESULT_NOT_FOUND, "resource type " + type + " is not served");
    }
    return type;
  }

  private static CdsException notFound(Context ctx) {
    return new CdsException(
        ErrorCode.RESULT_NOT_FOUND, ctx.pathParam("type") + "/" + ctx.pathParam("id"));
  }

  /**
   * {@code patient=Patient/<id>} or {@code patient=<id>}, and {@code
   * patient.identifier=system|value}: the patient keys to search under (empty for any patient).
   */
  static Set<String> patientKeys(Context ctx) {
    Set<String> keys = new HashSet<>();
    for (String value : ctx.queryParams("patient")) {
      String id = value.startsWith("Patient/") ? value.substring("Patient/".length()) : value;
      keys.addAll(PatientKeys.of(id, List.of()));
    }
    for (String value : ctx.queryParams("patient.identifier")) {
      int bar = value.indexOf('|');
      if (bar < 0) {
        throw new CdsException(ErrorCode.INVALID_ARGUMENT, "patient.identifier needs system|value");
      }
      keys.addAll(
          PatientKeys.of(
              null, List.of(new Identifier(value.substring(0, bar), value.substring(bar + 1)))));
    }
    return keys;
  }

  static int count(Context ctx) {
    String value = ctx.queryParam("_count");
    try {
      return value == null
          ? DEFAULT_COUNT
          : Math.max(0, Math.min(MAX_COUNT, Integer.parseInt(value)));
    } catch (NumberFormatException e) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "_count is not a number");
    }
  }

  static Instant instant(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException again) {
        throw new CdsException(ErrorCode.INVALID_ARGUMENT, "not a FHIR instant or date: " + value);
      }
    }
  }
}
