package org.tandemcds.explain;

/**
 * The cividis colour map (Nuñez, Anderton &amp; Renslow 2018), designed to look the same to readers
 * with and without red–green colour-vision deficiency and to have lightness rising monotonically
 * from dark blue to yellow, so it also reads correctly in grey. Approximated here by linear
 * interpolation between five stops of matplotlib's {@code cividis} table (0, .25, .5, .75, 1).
 */
final class Cividis {
  private static final int[][] STOPS = {
    {0x00, 0x22, 0x4E},
    {0x41, 0x4D, 0x6B},
    {0x7C, 0x7B, 0x78},
    {0xBC, 0xAF, 0x6F},
    {0xFD, 0xE7, 0x37}
  };

  private Cividis() {}

  /** The colour of {@code v} in [0, 1] (clamped) as packed RGB. */
  static int rgb(double v) {
    double x = Math.max(0, Math.min(1, v)) * (STOPS.length - 1);
    int i = Math.min(STOPS.length - 2, (int) Math.floor(x));
    double f = x - i;
    int rgb = 0;
    for (int ch = 0; ch < 3; ch++) {
      int value = (int) Math.round(STOPS[i][ch] * (1 - f) + STOPS[i + 1][ch] * f);
      rgb = (rgb << 8) | value;
    }
    return rgb;
  }

  /** Relative luminance (Rec. 709 weights on the sRGB-decoded channels) of a packed RGB colour. */
  static double luminance(int rgb) {
    return 0.2126 * linear((rgb >> 16) & 0xff)
        + 0.7152 * linear((rgb >> 8) & 0xff)
        + 0.0722 * linear(rgb & 0xff);
  }

  private static double linear(int channel) {
    double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
}
