package org.tandemcds.samples;

/**
 * One piece of note evidence: characters {@code [start, end)} of the note text about {@code
 * finding}. {@code strength} is {@code strong}, {@code weak} or {@code hedge}.
 */
public record NoteSpan(
    Finding finding,
    Stance stance,
    Polarity polarity,
    String strength,
    int start,
    int end,
    String text) {}
