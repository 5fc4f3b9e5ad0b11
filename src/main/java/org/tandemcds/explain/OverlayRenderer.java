package org.tandemcds.explain;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.Overlay;
import org.tandemcds.domain.SaliencyMap;

/**
 * Renders a saliency map over its frame as PNG: the frame in grey (scaled so the longer side is at
 * most {@code maxSide}), the map blended in {@link Cividis} with opacity rising with the value
 * (cells below {@code floor} of the maximum left untinted), the region's contour, a colour bar on
 * the right and a caption strip (the AI-suggestion label and what produced the map) at the bottom.
 * Thread-safe.
 */
final class OverlayRenderer {
  static final int BAR = 56;
  static final int CAPTION = 36;
  private static final double FLOOR = 0.15;
  private static final double OPACITY = 0.6;

  private final int maxSide;

  OverlayRenderer(int maxSide) {
    this.maxSide = maxSide;
  }

  /** The overlay of {@code map} over {@code frame}, with {@code caption} (two lines at most). */
  Overlay render(Frame frame, SaliencyMap map, List<String> caption) {
    double scale = Math.min(1.0, (double) maxSide / Math.max(frame.rows(), frame.columns()));
    int w = Math.max(1, (int) Math.round(frame.columns() * scale));
    int h = Math.max(1, (int) Math.round(frame.rows() * scale));
    BufferedImage out = new BufferedImage(w + BAR, h + CAPTION, BufferedImage.TYPE_INT_RGB);
    paintImage(out, frame, map, w, h);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      map.region()
          .ifPresent(r -> contour(g, r, (double) w / frame.columns(), (double) h / frame.rows()));
      colourBar(g, w, h, map);
      caption(g, w + BAR, h, caption);
    } finally {
      g.dispose();
    }
    return new Overlay(png(out), out.getHeight(), out.getWidth(), map.sopInstanceUid());
  }

  private static void paintImage(BufferedImage out, Frame frame, SaliencyMap map, int w, int h) {
    for (int y = 0; y < h; y++) {
      int row = Math.min(frame.rows() - 1, (int) ((y + 0.5) * frame.rows() / h));
      double u = (y + 0.5) * map.gridRows() / h - 0.5;
      for (int x = 0; x < w; x++) {
        int column = Math.min(frame.columns() - 1, (int) ((x + 0.5) * frame.columns() / w));
        double grey = Math.max(0, Math.min(1, frame.at(row, column))) * 255;
        double v = (x + 0.5) * map.gridColumns() / w - 0.5;
        double s = Maps.bilinear(map.values(), map.gridRows(), map.gridColumns(), u, v);
        out.setRGB(x, y, blend(grey, s));
      }
    }
  }

  /** Grey {@code grey} (0–255) tinted by the colour of saliency {@code s} in [0, 1]. */
  static int blend(double grey, double s) {
    double a = s < FLOOR ? 0 : OPACITY * (s - FLOOR) / (1 - FLOOR);
    int colour = Cividis.rgb(s);
    int rgb = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      double c = (colour >> shift) & 0xff;
      rgb = (rgb << 8) | (int) Math.round((1 - a) * grey + a * c);
    }
    return rgb;
  }

  private static void contour(Graphics2D g, SaliencyMap.Region r, double sx, double sy) {
    List<SaliencyMap.Point> pts = r.contour();
    if (pts.size() < 2) {
      return;
    }
    int[] xs = pts.stream().mapToInt(p -> (int) Math.round(p.column() * sx)).toArray();
    int[] ys = pts.stream().mapToInt(p -> (int) Math.round(p.row() * sy)).toArray();
    g.setStroke(new BasicStroke(2.5f));
    g.setColor(new Color(0xFDE737));
    g.drawPolygon(xs, ys, xs.length);
  }

  private static void colourBar(Graphics2D g, int w, int h, SaliencyMap map) {
    g.setColor(Color.BLACK);
    g.fillRect(w, 0, BAR, h);
    int top = 24;
    int bottom = Math.max(top + 2, h - 24);
    for (int y = top; y <= bottom; y++) {
      g.setColor(new Color(Cividis.rgb(1.0 - (double) (y - top) / (bottom - top))));
      g.fillRect(w + 8, y, 16, 1);
    }
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString("high", w + 26, top + 9);
    g.drawString("low", w + 26, bottom);
    g.drawString(map.method(), w + 4, 14);
  }

  private static void caption(Graphics2D g, int width, int h, List<String> lines) {
    g.setColor(Color.BLACK);
    g.fillRect(0, h, width, CAPTION);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i < Math.min(2, lines.size()); i++) {
      g.drawString(lines.get(i), 4, h + 14 + 16 * i);
    }
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new CdsException(
          ErrorCode.EXPLAIN_RENDER_FAILED, "overlay PNG could not be encoded", e);
    }
    return bytes.toByteArray();
  }

  static String percent(double p) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * p);
  }
}
