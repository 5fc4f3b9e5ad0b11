package org.tandemcds.domain;

/** A titled part of a note (e.g. "History", "Findings"); {@code span} indexes the note text. */
public record NoteSection(String title, TextSpan span) {}
