package org.tandemcds.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.model.NoteMention;

class NegationBitsTest {
  private static final List<String> FINDINGS =
      List.of("cardiomegaly", "pleural_effusion", "pneumothorax", "nodule_mass", "consolidation");

  // "Pt afebrile, no effusion." as word pieces: Pt | af | ##ebrile | , | no | effusion | .
  private static final String NOTE = "Pt afebrile, no effusion.";
  private static final List<TextSpan> TOKENS =
      List.of(
          new TextSpan(0, 2),
          new TextSpan(3, 5),
          new TextSpan(5, 11),
          new TextSpan(11, 12),
          new TextSpan(13, 15),
          new TextSpan(16, 24),
          new TextSpan(24, 25));

  @Test
  void tokens_overlapping_a_negated_mention_carry_its_findings_bit_and_no_other_token_does() {
    Map<String, List<NoteMention>> negations =
        Map.of(
            "consolidation", List.of(new NoteMention(3, 11, "afebrile")),
            "pleural_effusion", List.of(new NoteMention(13, 24, "no effusion")));

    byte[] bits = TrainingSetEncoder.negationBits(negations, FINDINGS, NOTE, TOKENS, 9);

    // 9 tokens: the 7 of the first note, then 2 of a second note, which carries no mention
    assertThat(bits).containsExactly(0, 1 << 4, 1 << 4, 0, 1 << 1, 1 << 1, 0, 0, 0);
  }

  @Test
  void a_mention_shifted_by_the_parse_is_found_by_its_text_and_one_not_in_the_note_is_left_out() {
    Map<String, List<NoteMention>> shifted =
        Map.of(
            "consolidation", List.of(new NoteMention(0, 8, "afebrile")),
            "pneumothorax", List.of(new NoteMention(13, 28, "no pneumothorax")));

    byte[] bits = TrainingSetEncoder.negationBits(shifted, FINDINGS, NOTE, TOKENS, 7);

    assertThat(bits).containsExactly(0, 1 << 4, 1 << 4, 0, 0, 0, 0);
    assertThat(
            TrainingSetEncoder.negationBits(
                Map.of("pneumothorax", List.of(new NoteMention(13, 28, "no pneumothorax"))),
                FINDINGS,
                NOTE,
                TOKENS,
                7))
        .isEmpty();
  }

  @Test
  void two_findings_negated_by_the_same_words_set_both_bits() {
    Map<String, List<NoteMention>> both =
        Map.of(
            "pleural_effusion", List.of(new NoteMention(13, 24, "no effusion")),
            "cardiomegaly", List.of(new NoteMention(16, 24, "effusion")));

    byte[] bits = TrainingSetEncoder.negationBits(both, FINDINGS, NOTE, TOKENS, 7);

    assertThat(bits).containsExactly(0, 0, 0, 0, 1 << 1, 1 | 1 << 1, 0);
  }
}
