package org.tandemcds.encode;

import java.util.List;
import org.tandemcds.domain.TextSpan;

/**
 * A note's word-piece tokens without special tokens.
 *
 * @param ids vocabulary ids
 * @param tokens the word pieces as the vocabulary writes them (e.g. {@code ##cm}, {@code [UNK]})
 * @param spans each token's characters in the note text (Java {@code String} indices, UTF-16)
 */
public record NoteTokens(long[] ids, List<String> tokens, List<TextSpan> spans) {
  public NoteTokens {
    tokens = List.copyOf(tokens);
    spans = List.copyOf(spans);
  }

  public int size() {
    return ids.length;
  }

  /** Each token's first character. */
  public int[] starts() {
    return spans.stream().mapToInt(TextSpan::start).toArray();
  }
}
