package org.tandemcds.dicom;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a PNG with the PNG reader by name (kept beside the PixelMed adapter, whose ImageIO plugin
 * is the reason). {@code ImageIO.read} asks every registered reader, and PixelMed's JPEG Lossless
 * reader prints to standard output when asked (a line in the service log for every overlay or mask
 * read).
 */
public final class Png {
  private Png() {}

  /**
   * The image in {@code in}.
   *
   * @throws IOException when it is not a readable PNG
   */
  public static BufferedImage read(InputStream in) throws IOException {
    ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
    try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      if (stream == null) {
        throw new IOException("no image stream");
      }
      reader.setInput(stream);
      return reader.read(0);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException("not a readable PNG", e);
    } finally {
      reader.dispose();
    }
  }
}
