package org.tandemcds.nlp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import opennlp.tools.sentdetect.SentenceDetectorME;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.tokenize.TokenizerME;
import opennlp.tools.tokenize.TokenizerModel;
import opennlp.tools.util.Span;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.TextSpan;

/**
 * English sentence detection and tokenisation with the OpenNLP 1.3.0 UD-EWT models, read once from
 * the classpath jars {@code opennlp-models-sentdetect-en} and {@code opennlp-models-tokenizer-en}.
 *
 * <p>Thread-safety: the loaded models are immutable and shared; the {@code *ME} classes that run
 * them are not thread-safe, so each call of {@link #segment} makes its own pair (cheap: they only
 * wrap the model). One instance can therefore serve any number of threads.
 */
public final class TextSegmenter {
  static final String SENTENCE_MODEL = "/opennlp-en-ud-ewt-sentence-1.3-2.5.4.bin";
  static final String TOKEN_MODEL = "/opennlp-en-ud-ewt-tokens-1.3-2.5.4.bin";

  private final SentenceModel sentenceModel;
  private final TokenizerModel tokenizerModel;

  /**
   * Loads both models.
   *
   * @throws CdsException {@link ErrorCode#MODEL_NOT_FOUND} when a model jar is not on the classpath
   *     or cannot be read
   */
  public TextSegmenter() {
    try (InputStream sentences = open(SENTENCE_MODEL);
        InputStream tokens = open(TOKEN_MODEL)) {
      this.sentenceModel = new SentenceModel(sentences);
      this.tokenizerModel = new TokenizerModel(tokens);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.MODEL_NOT_FOUND, "OpenNLP English models unreadable", e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = TextSegmenter.class.getResourceAsStream(resource);
    if (in == null) {
      throw new CdsException(
          ErrorCode.MODEL_NOT_FOUND, "OpenNLP model " + resource + " not on classpath");
    }
    return in;
  }

  /**
   * Sentences within each block and tokens within each sentence. A sentence never crosses a block
   * boundary; spans are trimmed of white space and index {@code text}.
   *
   * @param blocks non-overlapping spans of {@code text} in text order (paragraphs, headings)
   */
  public Segmentation segment(String text, List<TextSpan> blocks) {
    SentenceDetectorME sentenceDetector = new SentenceDetectorME(sentenceModel);
    TokenizerME tokenizer = new TokenizerME(tokenizerModel);
    List<TextSpan> sentences = new ArrayList<>();
    List<TextSpan> tokens = new ArrayList<>();
    for (TextSpan block : blocks) {
      for (Span s : sentenceDetector.sentPosDetect(block.of(text))) {
        TextSpan sentence = trimmed(text, block.start() + s.getStart(), block.start() + s.getEnd());
        if (sentence.length() > 0) {
          sentences.add(sentence);
          tokens.addAll(tokens(tokenizer, text, sentence));
        }
      }
    }
    return new Segmentation(sentences, tokens);
  }

  private static List<TextSpan> tokens(TokenizerME tokenizer, String text, TextSpan sentence) {
    List<TextSpan> tokens = new ArrayList<>();
    for (Span t : tokenizer.tokenizePos(sentence.of(text))) {
      TextSpan token =
          trimmed(text, sentence.start() + t.getStart(), sentence.start() + t.getEnd());
      if (token.length() > 0) {
        tokens.add(token);
      }
    }
    return tokens;
  }

  private static TextSpan trimmed(String text, int start, int end) {
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return new TextSpan(start, end);
  }
}
