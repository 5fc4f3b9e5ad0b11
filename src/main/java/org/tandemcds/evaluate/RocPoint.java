package org.tandemcds.evaluate;

/**
 * One point of a ROC curve: calling {@code probability ≥ threshold} positive gives these rates. The
 * first point of a curve has threshold +∞.
 */
public record RocPoint(double threshold, double falsePositiveRate, double truePositiveRate) {}
