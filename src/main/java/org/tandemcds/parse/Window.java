package org.tandemcds.parse;

/**
 * The VOI window functions of DICOM PS3.3 C.11.2.1.2 (and C.11.2.1.3), with output range [0, 1].
 */
final class Window {
  private Window() {}

  /**
   * The window for a centre, width and VOILUTFunction, or null when the width is not valid for it
   * (LINEAR needs width ≥ 1, LINEAR_EXACT and SIGMOID width > 0).
   */
  static PixelNormaliser.Voi of(double c, double w, String function) {
    switch (function) {
      case "LINEAR_EXACT":
        return w > 0 ? x -> linearExact(x, c, w) : null;
      case "SIGMOID":
        return w > 0 ? x -> sigmoid(x, c, w) : null;
      default:
        return w >= 1 ? x -> linear(x, c, w) : null;
    }
  }

  /** C.11.2.1.2.1: the classic window with the half-unit offsets. */
  static double linear(double x, double c, double w) {
    if (x <= c - 0.5 - (w - 1) / 2) {
      return 0;
    }
    if (x > c - 0.5 + (w - 1) / 2) {
      return 1;
    }
    return (x - (c - 0.5)) / (w - 1) + 0.5;
  }

  /** C.11.2.1.3.2. */
  static double linearExact(double x, double c, double w) {
    if (x <= c - w / 2) {
      return 0;
    }
    if (x > c + w / 2) {
      return 1;
    }
    return (x - c) / w + 0.5;
  }

  /** C.11.2.1.3.1. */
  static double sigmoid(double x, double c, double w) {
    return 1 / (1 + Math.exp(-4 * (x - c) / w));
  }
}
