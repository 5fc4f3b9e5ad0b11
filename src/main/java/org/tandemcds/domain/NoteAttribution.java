package org.tandemcds.domain;

import java.util.List;

/**
 * Every token's signed attribution for one finding in one note.
 *
 * @param noteReference the note's {@link ClinicalNote#sourceReference()}
 * @param finding the finding's name
 * @param tokens each token's characters in the note's text
 * @param scores one signed score per token
 */
public record NoteAttribution(
    String noteReference, String finding, List<TextSpan> tokens, double[] scores) {
  public NoteAttribution {
    tokens = List.copyOf(tokens);
    if (scores.length != tokens.size()) {
      throw new IllegalArgumentException(scores.length + " scores for " + tokens.size());
    }
  }
}
