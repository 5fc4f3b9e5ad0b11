package org.tandemcds.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.TextSpan;

class NoteTokenizerTest {
  private static NoteTokenizer tokenizer;

  @BeforeAll
  static void open() {
    tokenizer = NoteTokenizer.open(TestNotes.textModel().tokenizer());
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void every_token_span_is_the_exact_text_the_token_was_made_from() {
    String text = "RLL consolidation, 3.5cm.\n\nNo effusion; heart size normal.";

    NoteTokens tokens = tokenizer.tokenize(text);

    // expected pieces worked out by greedy longest-match WordPiece over the tokenizer.json vocab
    assertThat(String.join(" ", tokens.tokens()))
        .isEqualTo("r ##ll consolidation , 3 . 5 ##cm . no e ##ff ##usion ; heart size normal .");
    assertThat(tokens.spans().get(0).of(text)).isEqualTo("R");
    assertThat(tokens.spans().get(1).of(text)).isEqualTo("LL");
    assertThat(tokens.spans().get(7).of(text)).isEqualTo("cm");
    assertThat(tokens.spans().get(12).of(text)).isEqualTo("usion");
    assertSpansMatchTokens(text, tokens);
  }

  @Test
  void spans_stay_exact_after_unusual_whitespace_accents_and_characters_beyond_the_bmp() {
    String text =
        "Héllo\u00a0\u00a0wörld 😀 café\tX-ray:\r\n\u2003RLL\u200b opacity 𝔸 日本語 naïve\u2028end";

    NoteTokens tokens = tokenizer.tokenize(text);

    assertSpansMatchTokens(text, tokens);
    int emoji = tokens.tokens().indexOf("[UNK]");
    assertThat(tokens.spans().get(emoji).of(text)).isEqualTo("😀");
    assertThat(tokens.spans().get(tokens.size() - 1).of(text)).isEqualTo("end");
    assertThat(tokens.spans().get(tokens.tokens().indexOf("cafe")).of(text)).isEqualTo("café");
  }

  /** Increasing, non-overlapping spans whose text, lower-cased without accents, is the token. */
  private static void assertSpansMatchTokens(String text, NoteTokens tokens) {
    int previousEnd = 0;
    for (int i = 0; i < tokens.size(); i++) {
      TextSpan span = tokens.spans().get(i);
      assertThat(span.start()).isGreaterThanOrEqualTo(previousEnd);
      assertThat(span.end()).isLessThanOrEqualTo(text.length());
      assertThat(Character.isLowSurrogate(text.charAt(span.start()))).isFalse();
      String token = tokens.tokens().get(i);
      if (!token.equals("[UNK]")) {
        assertThat(folded(span.of(text))).isEqualTo(token.replaceFirst("^##", ""));
      }
      previousEnd = span.end();
    }
  }

  private static String folded(String s) {
    String decomposed = Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
    return decomposed.replaceAll("\\p{M}", "");
  }
}
