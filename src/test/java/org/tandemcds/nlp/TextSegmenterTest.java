package org.tandemcds.nlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.TextSpan;

class TextSegmenterTest {
  private final TextSegmenter segmenter = new TextSegmenter();

  @Test
  void sentences_and_tokens_are_offsets_into_the_whole_text_and_stay_in_their_block() {
    String text = "  Mild cardiomegaly. No effusion.\n\nIMPRESSION Stable";
    List<TextSpan> blocks =
        List.of(new TextSpan(0, 33), new TextSpan(35, 45), new TextSpan(46, 52));

    Segmentation result = segmenter.segment(text, blocks);

    assertThat(result.sentences())
        .containsExactly(
            new TextSpan(2, 20), new TextSpan(21, 33), new TextSpan(35, 45), new TextSpan(46, 52));
    assertThat(result.sentences().stream().map(s -> s.of(text)))
        .containsExactly("Mild cardiomegaly.", "No effusion.", "IMPRESSION", "Stable");
    assertThat(result.tokens().stream().map(t -> t.of(text)))
        .containsExactly(
            "Mild", "cardiomegaly", ".", "No", "effusion", ".", "IMPRESSION", "Stable");
    assertThat(result.tokens().get(1)).isEqualTo(new TextSpan(7, 19));
  }

  @Test
  void no_blocks_give_no_sentences() {
    Segmentation result = segmenter.segment("text", List.of());

    assertThat(result.sentences()).isEmpty();
    assertThat(result.tokens()).isEmpty();
  }
}
