package org.tandemcds.explain;

import java.util.ArrayList;
import java.util.List;
import org.tandemcds.domain.TextSpan;

/**
 * Aggregates token attributions to words and phrases of the note text. A word is a run of word
 * pieces with no characters between them where both sides are letters or digits ({@code pleur},
 * {@code ##al}); a phrase is a maximal run of consecutive words inside one sentence whose scores
 * share a sign and reach {@code minShare} of the note's largest absolute word score (words without
 * a letter or digit, such as punctuation, end a phrase). Scores are sums.
 */
final class NoteSpans {
  /** A stretch of the note and its signed score. */
  record Scored(TextSpan span, double score) {}

  private NoteSpans() {}

  static List<Scored> words(String text, List<TextSpan> tokens, float[] scores) {
    List<Scored> words = new ArrayList<>();
    int start = -1;
    int end = -1;
    double sum = 0;
    for (int i = 0; i < tokens.size(); i++) {
      TextSpan t = tokens.get(i);
      boolean joins =
          start >= 0
              && t.start() == end
              && end > 0
              && t.start() < text.length()
              && Character.isLetterOrDigit(text.charAt(end - 1))
              && Character.isLetterOrDigit(text.charAt(t.start()));
      if (!joins && start >= 0) {
        words.add(new Scored(new TextSpan(start, end), sum));
        sum = 0;
        start = t.start();
      } else if (start < 0) {
        start = t.start();
      }
      end = t.end();
      sum += scores[i];
    }
    if (start >= 0) {
      words.add(new Scored(new TextSpan(start, end), sum));
    }
    return words;
  }

  static List<Scored> phrases(
      String text, List<Scored> words, List<TextSpan> sentences, double minShare) {
    double max = words.stream().mapToDouble(w -> Math.abs(w.score())).max().orElse(0);
    double min = Math.max(minShare * max, Double.MIN_NORMAL);
    List<Scored> phrases = new ArrayList<>();
    Scored open = null;
    int openSentence = -1;
    for (Scored w : words) {
      int sentence = sentenceOf(sentences, w.span().start());
      boolean strong = Math.abs(w.score()) >= min && hasLetterOrDigit(w.span().of(text));
      boolean continues =
          open != null
              && strong
              && sentence == openSentence
              && Math.signum(w.score()) == Math.signum(open.score());
      if (continues) {
        open =
            new Scored(new TextSpan(open.span().start(), w.span().end()), open.score() + w.score());
        continue;
      }
      if (open != null) {
        phrases.add(open);
      }
      open = strong ? w : null;
      openSentence = sentence;
    }
    if (open != null) {
      phrases.add(open);
    }
    return phrases;
  }

  private static int sentenceOf(List<TextSpan> sentences, int at) {
    for (int i = 0; i < sentences.size(); i++) {
      if (at >= sentences.get(i).start() && at < sentences.get(i).end()) {
        return i;
      }
    }
    return -1 - at; // outside every sentence: its own
  }

  private static boolean hasLetterOrDigit(String s) {
    return s.chars().anyMatch(Character::isLetterOrDigit);
  }
}
