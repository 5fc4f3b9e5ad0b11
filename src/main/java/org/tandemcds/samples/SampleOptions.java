package org.tandemcds.samples;

import java.util.List;

/**
 * What to generate.
 *
 * @param seed the seed; with the study index it determines every byte written
 * @param minSide smallest image side in pixels (the product range is 1024–3000; tests use less)
 * @param maxSide largest image side in pixels
 * @param transferSyntaxes the syntaxes to draw from, uniformly over the list (a syntax listed k
 *     times has weight k; see {@link TransferSyntax#mix})
 * @param site {@code mixed}, {@code a} (CR-heavy, MONOCHROME1) or {@code b} (DX-heavy)
 * @param modeWeights weights of image+note, image-only and note-only studies
 */
public record SampleOptions(
    long seed,
    int minSide,
    int maxSide,
    List<TransferSyntax> transferSyntaxes,
    String site,
    double[] modeWeights) {

  public static final double[] DEFAULT_MODE_WEIGHTS = {0.90, 0.05, 0.05};

  public SampleOptions {
    transferSyntaxes = List.copyOf(transferSyntaxes);
    if (minSide < 64 || maxSide < minSide || maxSide > 4096) {
      throw new IllegalArgumentException("image sides " + minSide + ".." + maxSide);
    }
    if (transferSyntaxes.isEmpty()) {
      throw new IllegalArgumentException("no transfer syntax to draw from");
    }
    modeWeights = modeWeights.clone();
  }

  /** Full-size defaults: 1024–3000 pixels, the default syntax mix, mixed sites. */
  public static SampleOptions defaults(long seed) {
    return new SampleOptions(
        seed, 1024, 3000, TransferSyntax.defaultMix(), "mixed", DEFAULT_MODE_WEIGHTS);
  }

  public SampleOptions withSides(int min, int max) {
    return new SampleOptions(seed, min, max, transferSyntaxes, site, modeWeights);
  }
}
