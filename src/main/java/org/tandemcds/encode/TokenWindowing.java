package org.tandemcds.encode;

import java.util.ArrayList;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.TextSpan;

/**
 * Splits a note's tokens into windows the transformer can read, at sentence boundaries.
 *
 * <p>Contract: the windows are contiguous, in order, and cover every token exactly once; each holds
 * at most {@code maxTokens} tokens (the window size minus {@code [CLS]} and {@code [SEP]}). A
 * window boundary falls where a token begins at or after the start of a sentence span, so whole
 * sentences are packed greedily into windows. Text outside every sentence span stays with the
 * sentence before it. A single sentence longer than {@code maxTokens} is cut at token boundaries
 * into full windows (the last part may share its window with the sentences that follow) and those
 * windows are marked {@link TokenWindow#splitsSentence()}: nothing is truncated.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenWindowing {
  private final int maxTokens;

  /**
   * @param maxTokens most tokens per window, not counting special tokens (254 for a 256 window)
   */
  public TokenWindowing(int maxTokens) {
    if (maxTokens < 1) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "window of " + maxTokens + " tokens");
    }
    this.maxTokens = maxTokens;
  }

  /**
   * The windows of a note.
   *
   * @param tokenStarts each token's first character, non-decreasing
   * @param sentences the note's sentence spans, in any order
   */
  public List<TokenWindow> split(int[] tokenStarts, List<TextSpan> sentences) {
    List<TokenWindow> windows = new ArrayList<>();
    int open = 0;
    boolean openSplit = false;
    for (int[] segment : segments(tokenStarts, sentences)) {
      int start = segment[0];
      int end = segment[1];
      if (end - open > maxTokens && start > open) {
        windows.add(new TokenWindow(open, start, openSplit));
        open = start;
        openSplit = false;
      }
      while (end - open > maxTokens) {
        windows.add(new TokenWindow(open, open + maxTokens, true));
        open += maxTokens;
        openSplit = true;
      }
    }
    if (open < tokenStarts.length) {
      windows.add(new TokenWindow(open, tokenStarts.length, openSplit));
    }
    return windows;
  }

  /** Runs of tokens {@code [start, end)} between sentence starts. */
  private static List<int[]> segments(int[] tokenStarts, List<TextSpan> sentences) {
    int[] breaks = sentences.stream().mapToInt(TextSpan::start).sorted().distinct().toArray();
    List<int[]> segments = new ArrayList<>();
    int segmentStart = 0;
    int b = 0;
    for (int t = 0; t < tokenStarts.length; t++) {
      boolean crossed = false;
      while (b < breaks.length && breaks[b] <= tokenStarts[t]) {
        crossed = true;
        b++;
      }
      if (crossed && t > segmentStart) {
        segments.add(new int[] {segmentStart, t});
        segmentStart = t;
      }
    }
    if (segmentStart < tokenStarts.length) {
      segments.add(new int[] {segmentStart, tokenStarts.length});
    }
    return segments;
  }
}
