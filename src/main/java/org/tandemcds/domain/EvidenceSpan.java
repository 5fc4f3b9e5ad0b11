package org.tandemcds.domain;

/**
 * A stretch of a note that argued for (positive score) or against (negative score) a finding.
 *
 * @param noteReference the note's {@link ClinicalNote#sourceReference()}
 * @param span characters of the note's text
 * @param text the characters themselves
 * @param score signed attribution (sum over the span's tokens)
 */
public record EvidenceSpan(String noteReference, TextSpan span, String text, double score) {}
