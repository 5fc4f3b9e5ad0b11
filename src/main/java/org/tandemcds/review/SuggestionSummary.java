package org.tandemcds.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;

/**
 * The findings of one suggestion as cards and the worklist show them, stored as JSON next to the
 * report.
 *
 * @param mode the inputs the model used
 * @param modelSha256 sha256 of the model card
 * @param findings one per finding, in the model's order
 */
public record SuggestionSummary(String mode, String modelSha256, List<FindingSummary> findings) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EVIDENCE_QUOTES = 3;

  public SuggestionSummary {
    findings = List.copyOf(findings);
  }

  /** The summary of a run's prediction and explanation. */
  public static SuggestionSummary of(AnalysisRun run) {
    return new SuggestionSummary(
        run.prediction().mode().name(),
        run.prediction().modelSha256(),
        run.prediction().findings().stream().map(f -> finding(f, run.explanation())).toList());
  }

  private static FindingSummary finding(FindingPrediction f, Optional<Explanation> explanation) {
    List<String> quotes =
        explanation
            .flatMap(e -> e.of(f.finding()))
            .map(FindingExplanation::evidence)
            .orElse(List.of())
            .stream()
            .filter(s -> s.score() > 0)
            .limit(EVIDENCE_QUOTES)
            .map(EvidenceSpan::text)
            .toList();
    return new FindingSummary(
        f.finding(),
        f.probability(),
        f.threshold(),
        f.positive(),
        f.gateImage(),
        f.gateNote(),
        f.gateJoint(),
        quotes);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new CdsException(ErrorCode.INTERNAL, "summary cannot be written as JSON", e);
    }
  }

  public static SuggestionSummary fromJson(String json) {
    try {
      return JSON.readValue(json, SuggestionSummary.class);
    } catch (JsonProcessingException e) {
      throw new CdsException(ErrorCode.INTERNAL, "stored summary is not readable", e);
    }
  }
}
