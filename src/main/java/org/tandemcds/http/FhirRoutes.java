package org.tandemcds.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.AnalyzeCall;
import org.tandemcds.fhir.AnalyzeParameters;
import org.tandemcds.fhir.FhirCapability;
import org.tandemcds.fhir.FhirIngest;
import org.tandemcds.fhir.FhirResponses;
import org.tandemcds.fhir.FhirResponses.EntryResponse;
import org.tandemcds.fhir.Outcomes;
import org.tandemcds.fhir.ReceivedResource;
import org.tandemcds.metrics.Metrics;
import org.tandemcds.review.Auditor;
import org.tandemcds.review.PatientKeys;
import org.tandemcds.security.Authenticator;
import org.tandemcds.security.Caller;
import org.tandemcds.service.AnalyzeService;
import org.tandemcds.service.NoteIngest;
import org.tandemcds.store.AnalysisResults.StoredResult;
import org.tandemcds.store.JobState;
import org.tandemcds.store.JobStatus;
import org.tandemcds.store.StoreResult;

/**
 * FHIR ingest and analysis: {@code POST /fhir} (transaction or batch Bundle), {@code POST
 * /fhir/DocumentReference}, {@code POST /fhir/DiagnosticReport/$analyze} (synchronous, or with
 * {@code Prefer: respond-async} the FHIR asynchronous pattern: 202 and a status URL under {@code
 * /fhir/_jobs/{id}}).
 *
 * <p>With {@code auth=bearer} every call needs a system client's token (checked before the body is
 * read) with {@code system/<Type>.write} or {@code system/*.write} for each type it writes: every
 * entry's type of a Bundle (one entry not allowed refuses the whole request, before anything is
 * stored), {@code DocumentReference}, and {@code DiagnosticReport} for {@code $analyze} and its
 * status URL (plus {@code DocumentReference} when the Parameters carry an inline note).
 *
 * <p>Audited: each resource written (one event per Bundle entry, type {@code rest} with subtype
 * {@code transaction}, {@code batch} or {@code create}), each {@code $analyze} request and each
 * result read through the status URL ({@code operation}); refused requests and entries as failures.
 */
public final class FhirRoutes implements Routes {
  private static final Logger log = LoggerFactory.getLogger(FhirRoutes.class);
  static final String FHIR_JSON = "application/fhir+json";

  /**
   * The resource type whose write scope {@code $analyze} and its status URL need: the operation
   * creates a DiagnosticReport suggestion.
   */
  static final String OPERATION_TYPE = "DiagnosticReport";

  private final FhirIngest fhirIngest;
  private final NoteIngest notes;
  private final AnalyzeParameters parameters;
  private final AnalyzeService analyze;
  private final FhirResponses responses;
  private final Outcomes outcomes;
  private final Metrics metrics;
  private final long maxFhirBytes;
  private final int maxJsonDepth;
  private final Duration syncTimeout;
  private final IngestAccess access;

  public FhirRoutes(
      FhirIngest fhirIngest,
      NoteIngest notes,
      AnalyzeParameters parameters,
      AnalyzeService analyze,
      FhirResponses responses,
      Outcomes outcomes,
      Metrics metrics,
      long maxFhirBytes,
      int maxJsonDepth,
      Duration syncTimeout,
      Auditor auditor,
      Authenticator authenticator,
      boolean bearerRequired) {
    this.fhirIngest = fhirIngest;
    this.notes = notes;
    this.parameters = parameters;
    this.analyze = analyze;
    this.responses = responses;
    this.outcomes = outcomes;
    this.metrics = metrics;
    this.maxFhirBytes = maxFhirBytes;
    this.maxJsonDepth = maxJsonDepth;
    this.syncTimeout = syncTimeout;
    this.access = new IngestAccess(auditor, authenticator, bearerRequired);
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/fhir", this::bundle);
    routes.post("/fhir/DocumentReference", this::documentReference);
    routes.post("/fhir/DiagnosticReport/$analyze", this::analyze);
    routes.get("/fhir/_jobs/{id}", this::job);
  }

  /**
   * With {@code auth=bearer}, every request needs a system client's token with the write scope of
   * each resource type it writes.
   */
  @Override
  public boolean authenticates() {
    return access.required();
  }

  @Override
  public List<FhirCapability> capabilities() {
    return List.of(
        new FhirCapability("", List.of("transaction", "batch"), List.of()),
        new FhirCapability("DocumentReference", List.of("create"), List.of()),
        new FhirCapability("DiagnosticReport", List.of(), List.of("analyze")));
  }

  private byte[] body(Context ctx) {
    byte[] body = Bodies.fhir(ctx, maxFhirBytes, maxJsonDepth);
    metrics.received("fhir", body.length);
    return body;
  }

  private void bundle(Context ctx) {
    IngestAccess.Sender sender = access.sender(ctx);
    String agent = sender.agent();
    try {
      FhirIngest.ReceivedBundle bundle = fhirIngest.bundle(body(ctx), notes::resource);
      // every entry's type before anything is stored: one entry not allowed refuses the request
      sender.mayWrite(bundle.resourceTypes());
      List<ReceivedResource> received = bundle.entries();
      boolean transaction = bundle.transaction();
      AuditType type = transaction ? AuditType.TRANSACTION : AuditType.BATCH;
      if (transaction) {
        received.stream()
            .filter(r -> r.failure().isPresent())
            .findFirst()
            .ifPresent(
                r -> {
                  throw r.failure().get();
                });
      }
      List<EntryResponse> entries = new ArrayList<>();
      for (ReceivedResource resource : received) {
        entries.add(entry(agent, type, resource));
      }
      ctx.status(200)
          .contentType(FHIR_JSON)
          .result(responses.transactionResponse(transaction, entries));
    } catch (CdsException e) {
      refused(agent, AuditType.TRANSACTION, "C", Optional.empty(), "POST /fhir", e);
      throw e;
    }
  }

  /** Records a write of {@code resource} (its patient key, never its identifiers). */
  private void audited(
      String agent, AuditType type, ReceivedResource resource, boolean success, String what) {
    Optional<String> patient =
        "Patient".equals(resource.resourceType())
            ? PatientKeys.of(resource.resourceId(), List.of()).stream().findFirst()
            : notes.patientKey(resource);
    access.record(
        agent,
        type,
        "C",
        patient,
        Optional.of(resource.reference()),
        success,
        resource.resourceType() + " " + what);
  }

  /**
   * Records a request refused with {@code e}; a refusal of the credentials (401, 403) is audited
   * once, as a Security Alert, where it is answered ({@link HttpErrors}).
   */
  private void refused(
      String agent,
      AuditType type,
      String action,
      Optional<String> entity,
      String what,
      CdsException e) {
    int status = HttpStatuses.of(e.code());
    if (status == 401 || status == 403) {
      return;
    }
    access.record(
        agent,
        type,
        action,
        Optional.empty(),
        entity,
        false,
        what + " refused: " + e.code().code());
  }

  private EntryResponse entry(String agent, AuditType type, ReceivedResource resource) {
    if (resource.failure().isPresent()) {
      CdsException e = resource.failure().get();
      metrics.error(e.code());
      audited(agent, type, resource, false, "refused: " + e.code().code());
      return new EntryResponse(
          HttpStatuses.of(e.code()) + " " + e.code().meaning(),
          null,
          outcomes.json(e.code(), e.detail()));
    }
    try {
      StoreResult result = notes.store(resource);
      audited(
          agent,
          type,
          resource,
          result.outcome() != StoreResult.Outcome.CONFLICT,
          result.outcome().name().toLowerCase(Locale.ROOT));
      return switch (result.outcome()) {
        case STORED -> new EntryResponse("201 Created", resource.reference() + "/_history/1", null);
        case DUPLICATE -> new EntryResponse("200 OK", resource.reference() + "/_history/1", null);
        case CONFLICT -> {
          metrics.error(ErrorCode.STORE_CONFLICT);
          yield new EntryResponse(
              "409 Conflict",
              null,
              outcomes.json(
                  ErrorCode.STORE_CONFLICT,
                  resource.reference() + " was stored before with other content"));
        }
      };
    } catch (CdsException e) {
      metrics.error(e.code());
      audited(agent, type, resource, false, "refused: " + e.code().code());
      return new EntryResponse(
          HttpStatuses.of(e.code()) + " " + e.code().meaning(),
          null,
          outcomes.json(e.code(), e.detail()));
    }
  }

  private void documentReference(Context ctx) {
    String agent = access.sender(ctx, "DocumentReference").agent();
    ReceivedResource resource;
    StoreResult result;
    try {
      resource = fhirIngest.documentReference(body(ctx), notes::resource);
      if (resource.failure().isPresent()) {
        throw resource.failure().get();
      }
      result = notes.store(resource);
      if (result.outcome() == StoreResult.Outcome.CONFLICT) {
        throw new CdsException(
            ErrorCode.STORE_CONFLICT,
            resource.reference() + " was stored before with other content");
      }
    } catch (CdsException e) {
      refused(agent, AuditType.CREATE, "C", Optional.empty(), "POST /fhir/DocumentReference", e);
      throw e;
    }
    audited(
        agent, AuditType.CREATE, resource, true, result.outcome().name().toLowerCase(Locale.ROOT));
    ctx.status(result.outcome() == StoreResult.Outcome.STORED ? 201 : 200)
        .header(
            "Location",
            ctx.scheme() + "://" + ctx.host() + "/fhir/" + resource.reference() + "/_history/1")
        .contentType(FHIR_JSON)
        .result(
            outcomes.informational(
                result.outcome().name().toLowerCase(Locale.ROOT) + " " + resource.reference()));
  }

  private void analyze(Context ctx) {
    IngestAccess.Sender sender = access.sender(ctx, OPERATION_TYPE);
    String agent = sender.agent();
    AnalyzeCall call = null;
    long jobId;
    try {
      call = parameters.read(body(ctx));
      // an inline note is stored before the analysis
      sender.mayWrite(call.inlineNotes().isEmpty() ? List.of() : List.of("DocumentReference"));
      jobId = analyze.submit(call, agent);
    } catch (CdsException e) {
      Optional<String> study =
          Optional.ofNullable(call).map(c -> "urn:oid:" + c.studyInstanceUid());
      refused(agent, AuditType.OPERATION, "E", study, "$analyze", e);
      throw e;
    }
    access.record(
        agent,
        AuditType.OPERATION,
        "E",
        analyze.patientKey(call.studyInstanceUid()),
        Optional.of("urn:oid:" + call.studyInstanceUid()),
        true,
        "$analyze queued job "
            + jobId
            + " with "
            + (call.noteReferences().size() + call.inlineNotes().size())
            + " note(s)");
    String prefer = ctx.header("Prefer");
    if (prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async")) {
      accepted(ctx, jobId);
      return;
    }
    JobStatus status = analyze.await(jobId, syncTimeout);
    if (status.state() == JobState.DONE || status.state() == JobState.FAILED) {
      respondFinished(ctx, status, null);
    } else {
      log.info(
          "$analyze job {} still {} after {}: answering asynchronously",
          jobId,
          status.state(),
          syncTimeout);
      accepted(ctx, jobId);
    }
  }

  private void job(Context ctx) {
    IngestAccess.Sender sender = access.sender(ctx, OPERATION_TYPE);
    String agent = sender.agent();
    long id = jobId(ctx.pathParam("id"));
    // with auth=bearer, only a client that asked for the job reads it (404 for any other)
    JobStatus status = analyze.status(id, sender.enforced().map(Caller::agent));
    if (status.state() == JobState.DONE || status.state() == JobState.FAILED) {
      respondFinished(ctx, status, agent);
    } else {
      ctx.status(202)
          .header("X-Progress", status.state().name().toLowerCase(Locale.ROOT))
          .header("Retry-After", "1");
    }
  }

  /**
   * Answers a finished job: its report Bundle, or wrapped in a {@code batch-response} and audited
   * as a read of {@code pollingAgent} when answered at the status URL ({@code pollingAgent} null
   * for the synchronous answer).
   */
  private void respondFinished(Context ctx, JobStatus status, String pollingAgent) {
    boolean wrapped = pollingAgent != null;
    if (status.state() == JobState.FAILED) {
      ErrorCode code = HttpStatuses.parse(status.errorCode());
      throw new CdsException(
          code,
          "analysis job " + status.id() + " failed after " + status.attempts() + " attempt(s)");
    }
    StoredResult result =
        analyze
            .result(status.id())
            .orElseThrow(
                () ->
                    new CdsException(
                        ErrorCode.INTERNAL, "job " + status.id() + " is done but has no result"));
    if (wrapped) {
      access.record(
          pollingAgent,
          AuditType.OPERATION,
          "R",
          analyze.patientKey(result.studyInstanceUid()),
          Optional.of("urn:oid:" + result.studyInstanceUid()),
          true,
          "$analyze result of job " + status.id() + " read");
    }
    String body = wrapped ? responses.asyncResult(result.bundleJson()) : result.bundleJson();
    ctx.status(200).header("X-Run-Id", result.runId()).contentType(FHIR_JSON).result(body);
  }

  private static void accepted(Context ctx, long jobId) {
    ctx.status(202)
        .header("Content-Location", ctx.scheme() + "://" + ctx.host() + "/fhir/_jobs/" + jobId);
  }

  private static long jobId(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new CdsException(ErrorCode.JOB_NOT_FOUND, "job id is not a number");
    }
  }
}
