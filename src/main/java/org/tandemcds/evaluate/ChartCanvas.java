package org.tandemcds.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A white, antialiased Java2D canvas with one square-ish plot area whose axes both run over [0, 1]:
 * grid, ticks every 0.2, axis labels, title and subtitle. Charts draw their data in data
 * coordinates through {@link #x} and {@link #y}. Package-private; one canvas per chart, one thread.
 */
final class ChartCanvas implements AutoCloseable {
  static final Color TEXT = new Color(0x22, 0x22, 0x22);
  static final Color GRID = new Color(0xE4, 0xE4, 0xE4);
  static final Color REFERENCE = new Color(0x88, 0x88, 0x88);
  static final String FONT = "DejaVu Sans";

  private final BufferedImage image;
  private final Graphics2D g;
  private final int left;
  private final int top;
  private final int right;
  private final int bottom;

  ChartCanvas(int width, int height, int topMargin) {
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    left = 70;
    top = topMargin;
    right = width - 24;
    bottom = height - 60;
  }

  Graphics2D graphics() {
    return g;
  }

  BufferedImage image() {
    return image;
  }

  double x(double value) {
    return left + value * (right - left);
  }

  double y(double value) {
    return bottom - value * (bottom - top);
  }

  int plotTop() {
    return top;
  }

  int plotLeft() {
    return left;
  }

  int plotRight() {
    return right;
  }

  /** Title (bold) and an optional subtitle, centred above the plot. */
  void titles(String title, String subtitle) {
    g.setColor(TEXT);
    g.setFont(font(Font.BOLD, 16));
    centred(title, image.getWidth() / 2.0, 26);
    if (!subtitle.isEmpty()) {
      g.setFont(font(Font.PLAIN, 12));
      centred(subtitle, image.getWidth() / 2.0, 45);
    }
  }

  /** Grid, frame, ticks at 0, 0.2, …, 1 and the two axis labels. */
  void axes(String xLabel, String yLabel) {
    g.setStroke(new BasicStroke(1f));
    g.setFont(font(Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i <= 5; i++) {
      double v = i / 5.0;
      g.setColor(GRID);
      g.draw(new Line2D.Double(x(v), y(0), x(v), y(1)));
      g.draw(new Line2D.Double(x(0), y(v), x(1), y(v)));
      g.setColor(TEXT);
      String label = String.format(Locale.ROOT, "%.1f", v);
      centred(label, x(v), y(0) + 8 + fm.getAscent());
      g.drawString(
          label,
          (float) (x(0) - 8 - fm.stringWidth(label)),
          (float) (y(v) + fm.getAscent() / 2.0 - 1));
    }
    g.setColor(TEXT);
    g.draw(new java.awt.geom.Rectangle2D.Double(x(0), y(1), x(1) - x(0), y(0) - y(1)));
    g.setFont(font(Font.PLAIN, 13));
    centred(xLabel, (x(0) + x(1)) / 2, image.getHeight() - 18);
    verticalLabel(yLabel);
  }

  /** The y = x reference line, dashed grey. */
  void diagonal() {
    g.setColor(REFERENCE);
    g.setStroke(
        new BasicStroke(
            1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
    g.draw(new Line2D.Double(x(0), y(0), x(1), y(1)));
  }

  void centred(String text, double cx, double baseline) {
    g.drawString(text, (float) (cx - g.getFontMetrics().stringWidth(text) / 2.0), (float) baseline);
  }

  static Font font(int style, int size) {
    return new Font(FONT, style, size);
  }

  private void verticalLabel(String text) {
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    centred(text, -(y(0) + y(1)) / 2, 22);
    g.setTransform(saved);
  }

  @Override
  public void close() {
    g.dispose();
  }
}
