package org.tandemcds.nlp;

import java.util.List;
import org.tandemcds.domain.TextSpan;

/** Sentences and tokens of a text, as character spans into that text, in text order. */
public record Segmentation(List<TextSpan> sentences, List<TextSpan> tokens) {
  public Segmentation {
    sentences = List.copyOf(sentences);
    tokens = List.copyOf(tokens);
  }
}
