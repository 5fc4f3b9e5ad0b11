package org.tandemcds.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.TextSpan;

class TokenWindowingTest {

  @Test
  void whole_sentences_are_packed_into_windows() {
    // tokens start at 0,2,4,...; sentences start at chars 0, 6, 12 -> token segments [0,3) [3,6)
    // [6,8)
    int[] starts = {0, 2, 4, 6, 8, 10, 12, 14};
    List<TextSpan> sentences = List.of(span(0, 6), span(6, 12), span(12, 16));

    List<TokenWindow> windows = new TokenWindowing(6).split(starts, sentences);

    assertThat(windows).containsExactly(new TokenWindow(0, 6, false), new TokenWindow(6, 8, false));
  }

  @Test
  void a_sentence_longer_than_a_window_is_cut_at_token_boundaries_and_marked() {
    int[] starts = new int[10];
    for (int i = 0; i < 10; i++) {
      starts[i] = i;
    }
    // one short sentence, one of 7 tokens, one of 1 token
    List<TextSpan> sentences = List.of(span(0, 2), span(2, 9), span(9, 10));

    List<TokenWindow> windows = new TokenWindowing(3).split(starts, sentences);

    assertThat(windows)
        .containsExactly(
            new TokenWindow(0, 2, false),
            new TokenWindow(2, 5, true),
            new TokenWindow(5, 8, true),
            new TokenWindow(8, 10, true));
  }

  @Test
  void text_before_the_first_sentence_and_between_sentences_keeps_its_tokens() {
    int[] starts = {0, 3, 10, 20, 21, 30};
    List<TextSpan> sentences = List.of(span(10, 15), span(21, 25));

    List<TokenWindow> windows = new TokenWindowing(3).split(starts, sentences);

    // tokens 0-1 precede the first sentence and go with it; token 3 (char 20) lies between
    // the sentences and stays with the first
    assertThat(windows)
        .containsExactly(
            new TokenWindow(0, 2, false),
            new TokenWindow(2, 4, false),
            new TokenWindow(4, 6, false));
  }

  @Test
  void windows_cover_every_token_exactly_once_for_random_notes() {
    Random random = new Random(11);
    for (int trial = 0; trial < 500; trial++) {
      int tokens = random.nextInt(600);
      int[] starts = new int[tokens];
      List<TextSpan> sentences = new ArrayList<>();
      int position = 0;
      for (int t = 0; t < tokens; t++) {
        position += 1 + random.nextInt(3);
        starts[t] = position;
        if (random.nextInt(12) == 0) {
          sentences.add(span(position - random.nextInt(2), position + 1));
        }
      }
      int max = 1 + random.nextInt(60);

      List<TokenWindow> windows = new TokenWindowing(max).split(starts, sentences);

      int next = 0;
      for (TokenWindow w : windows) {
        assertThat(w.start()).isEqualTo(next);
        assertThat(w.length()).isBetween(1, max);
        next = w.end();
      }
      assertThat(next).isEqualTo(tokens);
    }
  }

  private static TextSpan span(int start, int end) {
    return new TextSpan(start, end);
  }
}
