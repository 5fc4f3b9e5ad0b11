package org.tandemcds.explain;

/** How a saliency map is sampled between its cell centres ({@link Maps}). */
public enum MapInterpolation {
  BILINEAR,
  BICUBIC;

  /** The name the command line and the files use. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static MapInterpolation parse(String name) {
    for (MapInterpolation i : values()) {
      if (i.label().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown interpolation " + name + " (bilinear or bicubic)");
  }

  /** The map sampled at continuous cell coordinates (cell centres at integers), edges held. */
  double sample(float[] map, int rows, int columns, double u, double v) {
    return this == BILINEAR
        ? Maps.bilinear(map, rows, columns, u, v)
        : Maps.bicubic(map, rows, columns, u, v);
  }
}
