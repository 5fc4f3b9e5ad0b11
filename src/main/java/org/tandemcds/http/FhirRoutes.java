package org.tandemcds.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.AnalyzeParameters;
import org.tandemcds.fhir.FhirCapability;
import org.tandemcds.fhir.FhirIngest;
import org.tandemcds.fhir.FhirResponses;
import org.tandemcds.fhir.FhirResponses.EntryResponse;
import org.tandemcds.fhir.Outcomes;
import org.tandemcds.fhir.ReceivedResource;
import org.tandemcds.metrics.Metrics;
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
 */
public final class FhirRoutes implements Routes {
  private static final Logger log = LoggerFactory.getLogger(FhirRoutes.class);
  static final String FHIR_JSON = "application/fhir+json";

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
      Duration syncTimeout) {
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
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/fhir", this::bundle);
    routes.post("/fhir/DocumentReference", this::documentReference);
    routes.post("/fhir/DiagnosticReport/$analyze", this::analyze);
    routes.get("/fhir/_jobs/{id}", this::job);
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
    byte[] body = body(ctx);
    FhirIngest.ReceivedBundle bundle = fhirIngest.bundle(body, notes::resource);
    List<ReceivedResource> received = bundle.entries();
    boolean transaction = bundle.transaction();
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
      entries.add(entry(resource));
    }
    ctx.status(200)
        .contentType(FHIR_JSON)
        .result(responses.transactionResponse(transaction, entries));
  }

  private EntryResponse entry(ReceivedResource resource) {
    if (resource.failure().isPresent()) {
      CdsException e = resource.failure().get();
      metrics.error(e.code());
      return new EntryResponse(
          HttpStatuses.of(e.code()) + " " + e.code().meaning(),
          null,
          outcomes.json(e.code(), e.detail()));
    }
    try {
      StoreResult result = notes.store(resource);
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
      return new EntryResponse(
          HttpStatuses.of(e.code()) + " " + e.code().meaning(),
          null,
          outcomes.json(e.code(), e.detail()));
    }
  }

  private void documentReference(Context ctx) {
    ReceivedResource resource = fhirIngest.documentReference(body(ctx), notes::resource);
    if (resource.failure().isPresent()) {
      throw resource.failure().get();
    }
    StoreResult result = notes.store(resource);
    if (result.outcome() == StoreResult.Outcome.CONFLICT) {
      throw new CdsException(
          ErrorCode.STORE_CONFLICT, resource.reference() + " was stored before with other content");
    }
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
    long jobId = analyze.submit(parameters.read(body(ctx)));
    String prefer = ctx.header("Prefer");
    if (prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async")) {
      accepted(ctx, jobId);
      return;
    }
    JobStatus status = analyze.await(jobId, syncTimeout);
    if (status.state() == JobState.DONE || status.state() == JobState.FAILED) {
      respondFinished(ctx, status, false);
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
    long id = jobId(ctx.pathParam("id"));
    JobStatus status = analyze.status(id);
    if (status.state() == JobState.DONE || status.state() == JobState.FAILED) {
      respondFinished(ctx, status, true);
    } else {
      ctx.status(202)
          .header("X-Progress", status.state().name().toLowerCase(Locale.ROOT))
          .header("Retry-After", "1");
    }
  }

  private void respondFinished(Context ctx, JobStatus status, boolean wrapped) {
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
