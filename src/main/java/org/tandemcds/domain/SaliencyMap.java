package org.tandemcds.domain;

import java.util.List;
import java.util.Optional;

/**
 * An image saliency map for one finding, as a compact grid laid over the original DICOM pixel grid
 * (letterbox and resize undone): grid cell {@code (r, c)} covers image rows {@code [r·imageRows /
 * gridRows, (r+1)·imageRows / gridRows)} and likewise for columns.
 *
 * @param method how it was computed, e.g. {@code grad-cam}, {@code occlusion}
 * @param sopInstanceUid the analysed image instance
 * @param frameNumber the analysed frame, 1-based as in DICOM
 * @param imageRows rows of the original frame
 * @param imageColumns columns of the original frame
 * @param gridRows rows of {@code values}
 * @param gridColumns columns of {@code values}
 * @param values row-major {@code gridRows × gridColumns}, scaled to [0, 1] by {@code rawMaximum}
 * @param rawMaximum the map's maximum before scaling (0 for a flat map)
 * @param region the lesion region in original pixel coordinates when the map is peaked
 */
public record SaliencyMap(
    String method,
    String sopInstanceUid,
    int frameNumber,
    int imageRows,
    int imageColumns,
    int gridRows,
    int gridColumns,
    float[] values,
    double rawMaximum,
    Optional<Region> region) {
  public SaliencyMap {
    if (gridRows <= 0 || gridColumns <= 0 || values.length != (long) gridRows * gridColumns) {
      throw new IllegalArgumentException("saliency grid " + gridRows + "x" + gridColumns);
    }
  }

  /**
   * A region of the original frame: its bounding box and its contour (a closed polygon of pixel
   * positions, first point not repeated), both in original pixel coordinates.
   */
  public record Region(int left, int top, int width, int height, List<Point> contour) {
    public Region {
      contour = List.copyOf(contour);
    }
  }

  /** A pixel position: {@code column} (x) and {@code row} (y), 0-based. */
  public record Point(int column, int row) {}
}
