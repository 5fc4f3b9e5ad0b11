package org.tandemcds.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A reliability diagram: per non-empty bin, a bar spanning the bin up to the observed frequency of
 * positives, a dot at (mean predicted probability, observed frequency), the y = x line of perfect
 * calibration, and the bin counts above the plot (in two staggered rows so wide counts never
 * overlap). Stateless; thread-safe.
 */
final class ReliabilityChart {
  static final int WIDTH = 480;
  static final int HEIGHT = 480;

  BufferedImage draw(String title, String subtitle, List<ReliabilityBin> bins, Color colour) {
    try (ChartCanvas canvas = new ChartCanvas(WIDTH, HEIGHT, 84)) {
      canvas.titles(title, subtitle);
      canvas.axes("Predicted probability", "Observed frequency of the finding");
      bars(canvas, bins, colour);
      canvas.diagonal();
      dots(canvas, bins);
      counts(canvas, bins);
      return canvas.image();
    }
  }

  private static void bars(ChartCanvas canvas, List<ReliabilityBin> bins, Color colour) {
    Graphics2D g = canvas.graphics();
    Color fill = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 110);
    for (ReliabilityBin b : bins) {
      if (b.count() == 0) {
        continue;
      }
      Rectangle2D bar =
          new Rectangle2D.Double(
              canvas.x(b.lower()) + 1,
              canvas.y(b.observedFrequency()),
              canvas.x(b.upper()) - canvas.x(b.lower()) - 2,
              canvas.y(0) - canvas.y(b.observedFrequency()));
      g.setColor(fill);
      g.fill(bar);
      g.setColor(colour);
      g.setStroke(new BasicStroke(1f));
      g.draw(bar);
    }
  }

  private static void dots(ChartCanvas canvas, List<ReliabilityBin> bins) {
    Graphics2D g = canvas.graphics();
    for (ReliabilityBin b : bins) {
      if (b.count() > 0) {
        double x = canvas.x(b.meanProbability());
        double y = canvas.y(b.observedFrequency());
        g.setColor(ChartCanvas.TEXT);
        g.fill(new Ellipse2D.Double(x - 3.5, y - 3.5, 7, 7));
      }
    }
  }

  private static void counts(ChartCanvas canvas, List<ReliabilityBin> bins) {
    Graphics2D g = canvas.graphics();
    g.setColor(ChartCanvas.TEXT);
    g.setFont(ChartCanvas.font(Font.PLAIN, 10));
    double baseline = canvas.plotTop() - 8;
    g.drawString("n", (float) (canvas.plotLeft() - 24), (float) baseline);
    for (int i = 0; i < bins.size(); i++) {
      ReliabilityBin b = bins.get(i);
      double staggered = baseline - (i % 2) * 12;
      canvas.centred(
          Integer.toString(b.count()), (canvas.x(b.lower()) + canvas.x(b.upper())) / 2, staggered);
    }
  }
}
