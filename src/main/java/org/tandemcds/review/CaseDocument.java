package org.tandemcds.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.NoteAttribution;
import org.tandemcds.domain.SaliencyMap;

/**
 * The review panel's explanation document of one run, as JSON: the model, the mode, per finding the
 * calibrated probability against its threshold, the modality contributions, the saliency grid with
 * its region and the evidence spans; per note its text (which every span indexes) and each
 * finding's per-token scores. Stateless.
 */
final class CaseDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CaseDocument() {}

  static String of(AnalysisRun run, List<ClinicalNote> notes) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("runId", run.runId());
    doc.put("mode", run.prediction().mode().label());
    ObjectNode model = doc.putObject("model");
    model.put("name", run.prediction().modelName());
    model.put("version", run.prediction().modelVersion());
    model.put("sha256", run.prediction().modelSha256());
    ArrayNode findings = doc.putArray("findings");
    Optional<Explanation> explanation = run.explanation();
    for (FindingPrediction f : run.prediction().findings()) {
      finding(findings.addObject(), f, explanation.flatMap(e -> e.of(f.finding())));
    }
    ArrayNode out = doc.putArray("notes");
    for (ClinicalNote note : notes) {
      note(out.addObject(), note, explanation.map(Explanation::notes).orElse(List.of()));
    }
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new CdsException(ErrorCode.INTERNAL, "case document cannot be written as JSON", e);
    }
  }

  private static void finding(
      ObjectNode node, FindingPrediction f, Optional<FindingExplanation> explained) {
    node.put("finding", f.finding());
    node.put("probability", f.probability());
    node.put("threshold", f.threshold());
    node.put("positive", f.positive());
    ModalityContribution c =
        explained
            .map(FindingExplanation::contribution)
            .orElse(
                new ModalityContribution(
                    f.gateImage(),
                    f.gateNote(),
                    f.gateJoint(),
                    f.probability(),
                    OptionalDouble.empty(),
                    OptionalDouble.empty()));
    ObjectNode contribution = node.putObject("contribution");
    contribution.put("gateImage", c.gateImage());
    contribution.put("gateNote", c.gateNote());
    contribution.put("gateJoint", c.gateJoint());
    c.withoutNote().ifPresent(v -> contribution.put("withoutNote", v));
    c.withoutImage().ifPresent(v -> contribution.put("withoutImage", v));
    explained.flatMap(FindingExplanation::saliency).ifPresent(s -> saliency(node, s));
    ArrayNode evidence = node.putArray("evidence");
    for (EvidenceSpan span : explained.map(FindingExplanation::evidence).orElse(List.of())) {
      ObjectNode e = evidence.addObject();
      e.put("note", span.noteReference());
      e.put("start", span.span().start());
      e.put("end", span.span().end());
      e.put("text", span.text());
      e.put("score", span.score());
    }
  }

  private static void saliency(ObjectNode finding, SaliencyMap s) {
    ObjectNode node = finding.putObject("saliency");
    node.put("method", s.method());
    node.put("sopInstanceUid", s.sopInstanceUid());
    node.put("frameNumber", s.frameNumber());
    node.put("imageRows", s.imageRows());
    node.put("imageColumns", s.imageColumns());
    node.put("gridRows", s.gridRows());
    node.put("gridColumns", s.gridColumns());
    node.put("rawMaximum", s.rawMaximum());
    ArrayNode values = node.putArray("values");
    for (float v : s.values()) {
      values.add(Math.round(v * 1000) / 1000.0);
    }
    s.region()
        .ifPresent(
            r -> {
              ObjectNode region = node.putObject("region");
              region.put("left", r.left());
              region.put("top", r.top());
              region.put("width", r.width());
              region.put("height", r.height());
              ArrayNode contour = region.putArray("contour");
              r.contour().forEach(p -> contour.addArray().add(p.column()).add(p.row()));
            });
  }

  private static void note(ObjectNode node, ClinicalNote note, List<NoteAttribution> scores) {
    node.put("reference", note.sourceReference());
    node.put("date", note.date());
    node.put("author", note.author());
    node.put("text", note.text());
    ObjectNode attributions = node.putObject("attributions");
    for (NoteAttribution a : scores) {
      if (!a.noteReference().equals(note.sourceReference())) {
        continue;
      }
      ArrayNode tokens = attributions.putArray(a.finding());
      for (int i = 0; i < a.tokens().size(); i++) {
        tokens
            .addArray()
            .add(a.tokens().get(i).start())
            .add(a.tokens().get(i).end())
            .add(Math.round(a.scores()[i] * 10000) / 10000.0);
      }
    }
  }
}
