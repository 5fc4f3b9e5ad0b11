package org.tandemcds.encode;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Frame;

/**
 * Lesion masks of a labelled study: reads a mask PNG (white inside, over the stored image) and
 * letterboxes it exactly like the study's image, so that each input pixel holds the share of it the
 * lesion covers. Stateless.
 */
public final class LesionMaps {
  private LesionMaps() {}

  /**
   * A mask PNG as a frame of 0 (outside) and 1 (inside, a grey level above 127).
   *
   * @throws CdsException {@code onError} when the file cannot be read or is not an image
   */
  public static Frame read(Path png, ErrorCode onError) {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(png)) {
      BufferedImage image = org.tandemcds.dicom.Png.read(in);
      float[] inside = new float[image.getWidth() * image.getHeight()];
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          inside[y * image.getWidth() + x] = (image.getRGB(x, y) & 0xff) > 127 ? 1f : 0f;
        }
      }
      return new Frame(image.getHeight(), image.getWidth(), inside);
    } catch (IOException e) {
      throw new CdsException(onError, png + " is not a readable PNG", e);
    }
  }

  /**
   * Per finding (in {@code findings} order) the letterboxed lesion map of a study with localisation
   * ({@code round(coverage · 255)}), an empty array for an absent finding, null for a present one
   * without a mask (its lesion is not shown, or not marked).
   *
   * @throws CdsException {@link ErrorCode#INVALID_ARGUMENT} when a mask cannot be read or its size
   *     differs from the image's ({@code rows × columns})
   */
  public static byte[][] letterboxed(
      List<String> findings,
      Map<String, Integer> labels,
      Map<String, Path> masks,
      int rows,
      int columns,
      Letterbox letterbox) {
    byte[][] out = new byte[findings.size()][];
    for (int k = 0; k < out.length; k++) {
      String finding = findings.get(k);
      Path png = masks.get(finding);
      if (labels.get(finding) == 0) {
        out[k] = new byte[0];
      } else if (png != null) {
        Frame mask = read(png, ErrorCode.INVALID_ARGUMENT);
        if (mask.rows() != rows || mask.columns() != columns) {
          throw new CdsException(
              ErrorCode.INVALID_ARGUMENT,
              "lesion mask of "
                  + finding
                  + " is "
                  + mask.columns()
                  + "x"
                  + mask.rows()
                  + ", the image "
                  + columns
                  + "x"
                  + rows);
        }
        float[] cover = letterbox.apply(mask).image().pixels();
        byte[] map = new byte[cover.length];
        for (int i = 0; i < cover.length; i++) {
          map[i] = (byte) Math.round(Math.max(0f, Math.min(1f, cover[i])) * 255f);
        }
        out[k] = map;
      }
    }
    return out;
  }
}
