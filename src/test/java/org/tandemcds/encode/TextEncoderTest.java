package org.tandemcds.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class TextEncoderTest {
  private static TextEncoder encoder;

  @BeforeAll
  static void open() {
    encoder = TextEncoder.open(TestNotes.textModel());
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void each_token_gets_a_384_value_embedding_and_the_same_note_gives_the_same_values() {
    var note = TestNotes.note("Right lower lobe consolidation. No pleural effusion.");

    TokenFeatures first = encoder.encode(note);
    TokenFeatures second = encoder.encode(note);

    // right lower lobe consolidation . no pl ##eur ##al e ##ff ##usion .
    assertThat(first.size()).isEqualTo(13);
    assertThat(first.dimension()).isEqualTo(384);
    assertThat(first.features()).hasSize(13 * 384);
    assertThat(first.windows()).containsExactly(new TokenWindow(0, 13, false));
    assertThat(second.features()).containsExactly(first.features());
  }

  @Test
  void a_long_note_is_read_in_several_windows_that_cover_every_token_once() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      text.append("Sentence number ")
          .append(i)
          .append(" describes a small nodule in the left lung. ");
    }
    var note = TestNotes.note(text.toString());

    TokenFeatures features = encoder.encode(note);

    assertThat(features.windows().size()).isGreaterThan(2);
    int next = 0;
    for (int w = 0; w < features.windows().size(); w++) {
      TokenWindow window = features.windows().get(w);
      assertThat(window.start()).isEqualTo(next);
      assertThat(window.length()).isLessThanOrEqualTo(TextEncoder.WINDOW - 2);
      assertThat(window.splitsSentence()).isFalse();
      for (int t = window.start(); t < window.end(); t++) {
        assertThat(features.windowOf()[t]).isEqualTo(w);
      }
      next = window.end();
    }
    assertThat(next).isEqualTo(features.size());
    assertThat(features.spans().get(features.size() - 1).of(note.text())).isEqualTo(".");
  }

  @Test
  void a_single_sentence_longer_than_a_window_is_split_at_tokens_and_marked() {
    // "lung" is one word piece in the vocabulary: 600 pieces plus the full stop
    var note = TestNotes.note("lung ".repeat(600).trim() + ".");

    TokenFeatures features = encoder.encode(note);

    assertThat(features.size()).isEqualTo(601);
    assertThat(features.windows())
        .containsExactly(
            new TokenWindow(0, 254, true),
            new TokenWindow(254, 508, true),
            new TokenWindow(508, 601, true));
  }

  @Test
  void paraphrases_are_closer_than_unrelated_sentences_after_mean_pooling() {
    float[] a = pooled("The lungs are clear.");
    float[] b = pooled("There is no abnormality in the lungs.");
    float[] c = pooled("The patient owns two cats and a dog.");

    // all-MiniLM-L6-v2 is trained so that mean-pooled, normalised embeddings of paraphrases
    // have a higher cosine similarity than those of unrelated sentences
    assertThat(dot(a, b)).isGreaterThan(dot(a, c) + 0.2).isGreaterThan(dot(b, c) + 0.2);
  }

  @Test
  void a_note_of_only_whitespace_is_a_coded_error() {
    assertThatThrownBy(() -> encoder.encode(TestNotes.note(" \n\t ")))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOTE_WITHOUT_TEXT));
  }

  private static float[] pooled(String text) {
    TokenFeatures f = encoder.encode(TestNotes.note(text));
    float[] mean = new float[f.dimension()];
    for (int t = 0; t < f.size(); t++) {
      float[] token = f.token(t);
      for (int d = 0; d < mean.length; d++) {
        mean[d] += token[d] / f.size();
      }
    }
    double norm = Math.sqrt(dot(mean, mean));
    for (int d = 0; d < mean.length; d++) {
      mean[d] /= (float) norm;
    }
    return mean;
  }

  private static double dot(float[] x, float[] y) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += x[i] * y[i];
    }
    return sum;
  }
}
