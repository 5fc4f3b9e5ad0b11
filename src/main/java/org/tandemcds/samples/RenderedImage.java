package org.tandemcds.samples;

import java.util.Map;

/**
 * A rendered radiograph as stored pixel values.
 *
 * @param pixels {@code rows × columns} unsigned values in row-major order, within {@code [0,
 *     2^bitsStored - 1]}, already in the photometric interpretation of the acquisition
 * @param masks one mask per finding that is present
 * @param renderedCtr the cardiothoracic ratio as drawn (AP views magnify the heart)
 * @param midlineTopX stored-pixel x where the patient's midline crosses the first row
 * @param midlineBottomX stored-pixel x where the patient's midline crosses the last row; the
 *     patient's right hemithorax lies to the image left of the line joining the two
 */
public record RenderedImage(
    int rows,
    int columns,
    short[] pixels,
    Map<Finding, LesionMask> masks,
    double renderedCtr,
    double windowCenter,
    double windowWidth,
    double midlineTopX,
    double midlineBottomX) {
  public RenderedImage {
    masks = Map.copyOf(masks);
  }
}
