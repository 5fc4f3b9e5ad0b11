package org.tandemcds.domain;

import java.util.List;
import java.util.Optional;

/**
 * What the explain stage hands to report: per finding, where on the image and which words of the
 * notes drove it, and how much each modality weighed; plus the full per-token scores of each note.
 *
 * @param findings one per finding, in the prediction's order
 * @param notes per note and finding, every token's signed attribution (for the review panel)
 */
public record Explanation(List<FindingExplanation> findings, List<NoteAttribution> notes) {
  public Explanation {
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }

  /** The explanation of one finding, if the prediction has it. */
  public Optional<FindingExplanation> of(String finding) {
    return findings.stream().filter(f -> f.finding().equals(finding)).findFirst();
  }
}
