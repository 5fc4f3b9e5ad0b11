package org.tandemcds.samples;

/**
 * Gaussian detector noise of unit variance per pixel, spatially correlated by the light spread of a
 * scintillator or storage phosphor: white noise filtered by the separable kernel [a 1 a] ⊗ [a 1 a]
 * with a = {@value #SPREAD} (amplitude response 0.11 at the Nyquist frequency), scaled back to unit
 * variance. Rows are produced in order, one call per row. Not thread-safe: one per image.
 */
final class CorrelatedNoise {
  static final float SPREAD = 0.4f;
  private static final float NORM = 1f / (1 + 2 * SPREAD * SPREAD);

  private final int columns;
  private final float[] gauss;
  private final float[] white;
  private float[] above;
  private float[] current;
  private float[] below;
  private long state;

  /** {@code gauss}: a table of 65,536 standard normal draws, indexed by the generator. */
  CorrelatedNoise(int columns, long seed, float[] gauss) {
    this.columns = columns;
    this.gauss = gauss;
    this.white = new float[columns + 2];
    this.state = seed | 1;
    above = filteredRow(new float[columns]);
    current = filteredRow(new float[columns]);
    below = filteredRow(new float[columns]);
  }

  /** The next row of noise, written into {@code out} ({@code columns} values). */
  void nextRow(float[] out) {
    for (int x = 0; x < columns; x++) {
      out[x] = (SPREAD * (above[x] + below[x]) + current[x]) * NORM;
    }
    float[] spare = above;
    above = current;
    current = below;
    below = filteredRow(spare);
  }

  private float[] filteredRow(float[] row) {
    for (int i = 0; i < white.length; i++) {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      white[i] = gauss[(int) (state >>> 48)];
    }
    for (int x = 0; x < columns; x++) {
      row[x] = SPREAD * (white[x] + white[x + 2]) + white[x + 1];
    }
    return row;
  }
}
