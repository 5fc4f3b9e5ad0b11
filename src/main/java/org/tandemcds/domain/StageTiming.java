package org.tandemcds.domain;

/** How long one pipeline stage ({@code parse}, {@code encode}, ...) took in one run. */
public record StageTiming(String stage, long nanos) {}
