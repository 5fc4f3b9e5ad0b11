package org.tandemcds.parse;

/**
 * A heading found in a text: characters {@code [start, end)} hold it (for a plain-text label, the
 * label and its colon), {@code title} is its words.
 */
record Heading(int start, int end, String title) {
  Heading shifted(int offset) {
    return new Heading(start + offset, end + offset, title);
  }
}
