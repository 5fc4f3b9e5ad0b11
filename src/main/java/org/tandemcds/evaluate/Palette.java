package org.tandemcds.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;

/**
 * Colours and line styles per scored set: the Okabe–Ito colour-blind-safe palette (Okabe &amp; Ito,
 * "Color Universal Design", 2008), and a dash pattern per set so that lines differ without colour.
 */
final class Palette {
  private static final Color[] COLOURS = {
    new Color(0x00, 0x72, 0xB2), // blue
    new Color(0xD5, 0x5E, 0x00), // vermillion
    new Color(0x00, 0x9E, 0x73), // bluish green
    new Color(0xCC, 0x79, 0xA7), // reddish purple
    new Color(0xE6, 0x9F, 0x00), // orange
    new Color(0x56, 0xB4, 0xE9), // sky blue
    new Color(0x00, 0x00, 0x00), // black
  };
  private static final float[][] DASHES = {null, {9f, 5f}, {2.5f, 4f}, {12f, 4f, 2.5f, 4f}};

  private Palette() {}

  static Color colour(int set) {
    return COLOURS[set % COLOURS.length];
  }

  static BasicStroke stroke(int set, float width) {
    float[] dash = DASHES[set % DASHES.length];
    return dash == null
        ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
        : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
  }
}
