package org.tandemcds.encode;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.TextSpan;

/**
 * Word-piece tokenisation of a whole note with the transformer's own {@code tokenizer.json}
 * (HuggingFace tokenizers through DJL, offline), keeping each token's character span.
 *
 * <p>The native tokenizer reports spans in Unicode code points; this class converts them to Java
 * {@code String} (UTF-16) indices, so {@code span.of(text)} is the exact source text of a token
 * even after characters outside the Basic Multilingual Plane. No truncation, no padding, no special
 * tokens: windowing adds those.
 *
 * <p>Thread-safe (the native tokenizer is). Close once, with the application.
 */
public final class NoteTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;

  private NoteTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /**
   * Loads a {@code tokenizer.json}.
   *
   * @throws CdsException {@link ErrorCode#MODEL_NOT_FOUND} when it cannot be read
   */
  public static NoteTokenizer open(Path tokenizerJson) {
    Map<String, String> options =
        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
    try {
      return new NoteTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, options));
    } catch (IOException | RuntimeException e) {
      throw new CdsException(ErrorCode.MODEL_NOT_FOUND, "cannot load " + tokenizerJson, e);
    }
  }

  /** The tokens of {@code text} with their spans in {@code text}. */
  public NoteTokens tokenize(String text) {
    Encoding encoding = tokenizer.encode(text);
    int[] utf16 = codePointToUtf16(text);
    CharSpan[] spans = encoding.getCharTokenSpans();
    List<TextSpan> converted = new ArrayList<>(spans.length);
    for (CharSpan s : spans) {
      if (s == null) {
        throw new CdsException(ErrorCode.INTERNAL, "tokenizer gave a token without a span");
      }
      converted.add(new TextSpan(utf16[s.getStart()], utf16[s.getEnd()]));
    }
    return new NoteTokens(encoding.getIds(), Arrays.asList(encoding.getTokens()), converted);
  }

  /** The ids of the tokens the model expects around a sequence: {@code [CLS]} and {@code [SEP]}. */
  long[] specialIds() {
    long[] ids = tokenizer.encode("", true, false).getIds();
    if (ids.length != 2) {
      throw new CdsException(ErrorCode.MODEL_FAILURE, "tokenizer adds " + ids.length + " specials");
    }
    return ids;
  }

  /** For each code-point offset 0..n, the UTF-16 index it starts at. */
  private static int[] codePointToUtf16(String text) {
    int[] map = new int[text.codePointCount(0, text.length()) + 1];
    int index = 0;
    for (int cp = 0; cp < map.length - 1; cp++) {
      map[cp] = index;
      index += Character.charCount(text.codePointAt(index));
    }
    map[map.length - 1] = text.length();
    return map;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
