package org.tandemcds.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.TextSpan;

class NoteSpansTest {
  //                                  1111111111222222222233333333334444444444
  //                        01234567890123456789012345678901234567890123456789
  private static final String TEXT = "Small pleural effusion. No pneumothorax seen.";
  private static final List<TextSpan> TOKENS =
      List.of(
          new TextSpan(0, 5), // small
          new TextSpan(6, 11), // pleur
          new TextSpan(11, 13), // ##al
          new TextSpan(14, 22), // effusion
          new TextSpan(22, 23), // .
          new TextSpan(24, 26), // no
          new TextSpan(27, 30), // pne
          new TextSpan(30, 39), // ##umothorax
          new TextSpan(40, 44), // seen
          new TextSpan(44, 45)); // .
  private static final List<TextSpan> SENTENCES =
      List.of(new TextSpan(0, 23), new TextSpan(24, 45));

  @Test
  void word_pieces_sum_into_words_and_punctuation_stays_apart() {
    float[] scores = {0.1f, 0.2f, 0.3f, 0.5f, 0.01f, -0.4f, 0.1f, -0.3f, 0.05f, 0f};

    List<NoteSpans.Scored> words = NoteSpans.words(TEXT, TOKENS, scores);

    assertThat(words)
        .extracting(w -> w.span().of(TEXT))
        .containsExactly("Small", "pleural", "effusion", ".", "No", "pneumothorax", "seen", ".");
    assertThat(words.get(1).score()).isCloseTo(0.5, within(1e-6));
    assertThat(words.get(5).score()).isCloseTo(-0.2, within(1e-6));
  }

  @Test
  void phrases_join_strong_words_of_one_sign_inside_a_sentence() {
    float[] scores = {0.1f, 0.2f, 0.3f, 0.5f, 0.01f, -0.4f, 0.1f, -0.3f, 0.01f, 0f};
    List<NoteSpans.Scored> words = NoteSpans.words(TEXT, TOKENS, scores);

    List<NoteSpans.Scored> phrases = NoteSpans.phrases(TEXT, words, SENTENCES, 0.1);

    // max |word| = 0.5, so words under 0.05 end a phrase; "." has no letter; the sentence ends.
    assertThat(phrases)
        .extracting(p -> p.span().of(TEXT))
        .containsExactly("Small pleural effusion", "No pneumothorax");
    assertThat(phrases.get(0).score()).isCloseTo(1.1, within(1e-6));
    assertThat(phrases.get(1).score()).isCloseTo(-0.6, within(1e-6));
  }

  @Test
  void a_change_of_sign_ends_a_phrase() {
    float[] scores = {0.3f, 0.3f, 0f, -0.4f, 0f, 0f, 0f, 0f, 0f, 0f};
    List<NoteSpans.Scored> words = NoteSpans.words(TEXT, TOKENS, scores);

    assertThat(NoteSpans.phrases(TEXT, words, SENTENCES, 0.1))
        .extracting(p -> p.span().of(TEXT))
        .containsExactly("Small pleural", "effusion");
  }
}
