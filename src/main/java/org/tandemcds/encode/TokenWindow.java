package org.tandemcds.encode;

/**
 * Tokens {@code [start, end)} of a note (indices into its token list, special tokens not counted)
 * that the encoder reads in one pass.
 *
 * @param splitsSentence true when this window starts or ends inside a sentence because that
 *     sentence alone has more tokens than a window holds
 */
public record TokenWindow(int start, int end, boolean splitsSentence) {
  public int length() {
    return end - start;
  }
}
