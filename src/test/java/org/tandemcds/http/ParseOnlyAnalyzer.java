package org.tandemcds.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.ReportBundle;
import org.tandemcds.domain.StageTiming;
import org.tandemcds.parse.CaseParser;
import org.tandemcds.service.Analyzer;

/**
 * The analyzer the service tests run until the pipeline is merged in: it really parses the job's
 * study and notes with the production {@link CaseParser} (DICOM decode, note reading, pairing,
 * mode) and records what it read in a FHIR collection Bundle (one Basic per SOP instance and per
 * note, and the process that ran it). It runs no model and suggests nothing: it tests the queue,
 * the store and the HTTP edge, not the pipeline.
 */
final class ParseOnlyAnalyzer implements Analyzer {
  static final String MODEL = "parse-only-test-analyzer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CaseParser parser;
  private final String processId;
  private final Duration delay;

  ParseOnlyAnalyzer(CaseParser parser, String processId, Duration delay) {
    this.parser = parser;
    this.processId = processId;
    this.delay = delay;
  }

  @Override
  public AnalysisRun analyse(AnalysisRequest request) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    CaseInput input = parser.parse(request);
    long parsed = System.nanoTime() - t0;
    pause();
    Prediction prediction = new Prediction(List.of(), input.mode(), MODEL, "test", "0".repeat(64));
    String runId = UUID.randomUUID().toString();
    return new AnalysisRun(
        runId,
        request.requestId(),
        input.mode(),
        input.study().map(ImagingStudy::studyInstanceUid),
        prediction,
        Optional.empty(),
        new ReportBundle(bundle(runId, input), "urn:uuid:" + runId, List.of()),
        List.of(new StageTiming("parse", parsed)),
        started,
        Instant.now());
  }

  private void pause() {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String bundle(String runId, CaseInput input) {
    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("resourceType", "Bundle").put("id", runId).put("type", "collection");
    bundle.putObject("identifier").put("system", "urn:tandem:test:process").put("value", processId);
    ArrayNode entries = bundle.putArray("entry");
    for (ImageInstance instance : input.study().map(ImagingStudy::instances).orElse(List.of())) {
      basic(entries, "sop-instance", "urn:dicom:uid", "urn:oid:" + instance.sopInstanceUid());
    }
    for (ClinicalNote note : input.notes()) {
      basic(entries, "note", "urn:tandem:test:note", note.sourceReference());
    }
    basic(entries, "mode", "urn:tandem:test:mode", input.mode().label());
    return bundle.toString();
  }

  private static void basic(ArrayNode entries, String kind, String system, String value) {
    ObjectNode resource = entries.addObject().putObject("resource");
    resource.put("resourceType", "Basic");
    resource.putObject("code").put("text", kind);
    resource.putArray("identifier").addObject().put("system", system).put("value", value);
  }
}
