package org.tandemcds.evaluate;

/**
 * A percentile bootstrap confidence interval: the {@code (1 − level)/2} and {@code (1 + level)/2}
 * quantiles (linear interpolation between order statistics, numpy's default) of the statistic over
 * the {@code usedResamples} of {@code resamples} drawn in which it was defined (a resample whose
 * cases of some finding hold one class only is discarded). Bounds are NaN when no resample was
 * usable.
 */
public record BootstrapInterval(
    double lower, double upper, double level, int resamples, int usedResamples, long seed) {}
