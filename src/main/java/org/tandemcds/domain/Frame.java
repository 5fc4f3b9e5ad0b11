package org.tandemcds.domain;

/**
 * One image frame ready for a model: {@code rows × columns} values in row-major order, each in [0,
 * 1] where 0 is displayed black and 1 white (modality LUT, VOI and MONOCHROME1 inversion applied).
 */
public record Frame(int rows, int columns, float[] pixels) {
  public Frame {
    if (rows <= 0 || columns <= 0 || pixels.length != (long) rows * columns) {
      throw new IllegalArgumentException(
          "frame " + rows + "x" + columns + " with " + pixels.length + " values");
    }
  }

  public float at(int row, int column) {
    return pixels[row * columns + column];
  }
}
