package org.tandemcds.encode;

import java.util.Arrays;
import java.util.List;
import org.tandemcds.domain.TextSpan;

/**
 * Contextual token embeddings of one note from the frozen text transformer, one row per word-piece
 * token of the note (special tokens left out), in note order.
 *
 * @param dimension embedding size (384 for all-MiniLM-L6-v2)
 * @param features row-major {@code size() × dimension} values
 * @param spans each token's characters in the note text
 * @param windows the windows the note was read in; together they cover every token once
 * @param windowOf for each token, the index of its window in {@code windows}
 */
public record TokenFeatures(
    int dimension,
    float[] features,
    List<TextSpan> spans,
    List<TokenWindow> windows,
    int[] windowOf) {

  public TokenFeatures {
    spans = List.copyOf(spans);
    windows = List.copyOf(windows);
    if (features.length != (long) spans.size() * dimension || windowOf.length != spans.size()) {
      throw new IllegalArgumentException(
          features.length + " values for " + spans.size() + " tokens of " + dimension);
    }
  }

  /** Number of tokens. */
  public int size() {
    return spans.size();
  }

  /** A copy of one token's embedding. */
  public float[] token(int index) {
    return Arrays.copyOfRange(features, index * dimension, (index + 1) * dimension);
  }
}
