package org.tandemcds.encode;

import java.util.Arrays;

/**
 * What the image network makes of one frame.
 *
 * @param channels feature channels {@code C} (also the embedding length)
 * @param mapRows rows {@code H} of the feature map (= columns; the input is square)
 * @param featureMap row-major {@code C × H × H} values; the map covers the whole letterboxed input
 *     square, so {@link LetterboxGeometry#resampleToSource} maps an {@code H × H} map back onto the
 *     frame
 * @param embedding the feature map's mean over space, {@code C} values
 * @param geometry where the frame sits in the network input
 * @param input the letterboxed network input the map was computed from, {@code S × S} in [0, 1]
 *     (explanations run the image network on it again)
 */
public record ImageFeatures(
    int channels,
    int mapRows,
    float[] featureMap,
    float[] embedding,
    LetterboxGeometry geometry,
    float[] input) {

  public ImageFeatures {
    if (featureMap.length != channels * mapRows * mapRows
        || embedding.length != channels
        || input.length != geometry.size() * geometry.size()) {
      throw new IllegalArgumentException("feature map of " + featureMap.length + " values");
    }
  }

  /** A copy of channel {@code c} of the feature map, {@code H × H} row-major. */
  public float[] channel(int c) {
    int plane = mapRows * mapRows;
    return Arrays.copyOfRange(featureMap, c * plane, (c + 1) * plane);
  }
}
