package org.tandemcds.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The ROC curves of one finding, one line per scored set (Okabe–Ito colour and a dash pattern per
 * set), with the chance diagonal and a legend giving each set's AUROC. Stateless; thread-safe.
 */
final class RocChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 600;

  BufferedImage draw(String finding, List<SetMetrics> sets, int findingIndex) {
    try (ChartCanvas canvas = new ChartCanvas(WIDTH, HEIGHT, 64)) {
      canvas.titles("ROC curve — " + finding, "one line per scored set; dashed grey: chance");
      canvas.axes("False positive rate (1 − specificity)", "True positive rate (sensitivity)");
      canvas.diagonal();
      for (int s = 0; s < sets.size(); s++) {
        curve(canvas, sets.get(s).findings().get(findingIndex).rocCurve(), s);
      }
      legend(canvas, sets, findingIndex);
      return canvas.image();
    }
  }

  private static void curve(ChartCanvas canvas, List<RocPoint> points, int set) {
    if (points.isEmpty()) {
      return;
    }
    Path2D.Double path = new Path2D.Double();
    path.moveTo(canvas.x(0), canvas.y(0));
    for (RocPoint p : points) {
      path.lineTo(canvas.x(p.falsePositiveRate()), canvas.y(p.truePositiveRate()));
    }
    Graphics2D g = canvas.graphics();
    g.setColor(Palette.colour(set));
    g.setStroke(Palette.stroke(set, 2.4f));
    g.draw(path);
  }

  private static void legend(ChartCanvas canvas, List<SetMetrics> sets, int findingIndex) {
    Graphics2D g = canvas.graphics();
    g.setFont(ChartCanvas.font(Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    List<String> labels =
        sets.stream().map(s -> label(s, s.findings().get(findingIndex).auroc())).toList();
    int width = 44 + labels.stream().mapToInt(fm::stringWidth).max().orElse(0);
    int row = fm.getHeight() + 4;
    double x0 = canvas.x(1) - width - 10;
    double y0 = canvas.y(0) - row * labels.size() - 14;
    g.setColor(new Color(255, 255, 255, 235));
    g.fill(new Rectangle2D.Double(x0, y0, width, row * labels.size() + 8));
    g.setColor(ChartCanvas.GRID.darker());
    g.setStroke(new BasicStroke(1f));
    g.draw(new Rectangle2D.Double(x0, y0, width, row * labels.size() + 8));
    for (int s = 0; s < labels.size(); s++) {
      double mid = y0 + 4 + row * s + row / 2.0;
      g.setColor(Palette.colour(s));
      g.setStroke(Palette.stroke(s, 2.4f));
      g.draw(new Line2D.Double(x0 + 8, mid, x0 + 36, mid));
      g.setColor(ChartCanvas.TEXT);
      g.drawString(labels.get(s), (float) (x0 + 42), (float) (mid + fm.getAscent() / 2.0 - 2));
    }
  }

  private static String label(SetMetrics set, double auroc) {
    return set.name()
        + (Double.isNaN(auroc)
            ? "  (AUROC undefined: one class)"
            : String.format(Locale.ROOT, "  (AUROC %.3f)", auroc));
  }
}
