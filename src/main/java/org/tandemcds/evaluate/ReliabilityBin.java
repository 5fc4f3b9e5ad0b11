package org.tandemcds.evaluate;

/**
 * One bin of a reliability diagram: the {@code count} probabilities {@code p} with {@code lower ≤ p
 * < upper} (the last bin also holds {@code p = 1}), their mean and the fraction of them whose label
 * is 1. Both are NaN in an empty bin.
 */
public record ReliabilityBin(
    double lower, double upper, int count, double meanProbability, double observedFrequency) {}
