package org.tandemcds.samples;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a chest radiograph phantom: attenuation of anatomy and findings on a working grid of at
 * most {@value #GRID} pixels a side, vessel markings stamped in, then the detector response
 * (exponential attenuation, exposure, contrast, quantum and electronic noise) at the stored size.
 * Stateless; thread-safe.
 */
public final class ChestRenderer {
  static final int GRID = 1024;
  private static final double UNITS_ACROSS = 2.5;
  private static final float[] GAUSS = gaussTable();

  /** Renders the study's image (anatomy and noise depend on seed and index only). */
  public RenderedImage render(LatentCase c) {
    Acquisition a = c.acquisition();
    double ctr = c.lesions().trueCtr() * (a.viewPosition().equals("AP") ? 1.04 : 1.0);
    ChestAnatomy anatomy = new ChestAnatomy(new Rng(c.seed(), c.index(), "anatomy"), c, ctr);
    Geometry g = new Geometry(a);
    List<OpacityShape> opacities = new ArrayList<>();
    Rng lesionRng = new Rng(c.seed(), c.index(), "lesions");
    for (Lesions.Opacity o : c.lesions().opacities()) {
      opacities.add(new OpacityShape(o, anatomy, lesionRng));
    }
    Grid grid = new Grid(g, anatomy, c.lesions(), opacities);
    grid.fill();
    new VesselTree(new Rng(c.seed(), c.index(), "vessels"), anatomy).stamp(grid);
    short[] pixels = detect(grid, a, new Rng(c.seed(), c.index(), "noise").nextLong());
    return new RenderedImage(
        a.rows(),
        a.columns(),
        pixels,
        masks(grid, c),
        ctr,
        windowCenter(a),
        windowWidth(a),
        g.midlineX(0),
        g.midlineX(a.rows() - 1));
  }

  private static Map<Finding, LesionMask> masks(Grid grid, LatentCase c) {
    Map<Finding, LesionMask> masks = new EnumMap<>(Finding.class);
    for (Finding f : Finding.values()) {
      if (c.has(f)) {
        masks.put(f, new LesionMask(f, grid.gw, grid.gh, grid.mask, grid.g.columns, grid.g.rows));
      }
    }
    return masks;
  }

  static int maxValue(Acquisition a) {
    return (1 << a.bitsStored()) - 1;
  }

  static double low(Acquisition a) {
    return maxValue(a) * (0.03 + 0.04 * (a.exposureMas() - 1.2) / 3.8);
  }

  static double high(Acquisition a) {
    return maxValue(a) * 0.93;
  }

  private static double windowCenter(Acquisition a) {
    return Math.round((low(a) + 0.55 * (high(a) - low(a))) * 10) / 10.0;
  }

  private static double windowWidth(Acquisition a) {
    return Math.round(0.85 * (high(a) - low(a)) * 10) / 10.0;
  }

  /** Upsamples the attenuation bilinearly, applies the detector response and adds noise. */
  private static short[] detect(Grid grid, Acquisition a, long noiseSeed) {
    int rows = a.rows();
    int cols = a.columns();
    short[] out = new short[rows * cols];
    double lo = low(a);
    double span = high(a) - lo;
    int max = maxValue(a);
    boolean mono1 = a.photometricInterpretation().equals("MONOCHROME1");
    double sigma =
        a.noiseLevel()
            * Math.sqrt(2.5 / a.exposureMas())
            * span
            / Math.sqrt(1 << (a.bitsStored() - 12));
    double k = 0.75 * a.contrast();
    float[] tone = toneTable(k);
    int[] x0 = new int[cols];
    float[] fx = new float[cols];
    for (int x = 0; x < cols; x++) {
      double gx = Math.max(0, Math.min(grid.gw - 1.001, (x + 0.5) * grid.gw / cols - 0.5));
      x0[x] = (int) gx;
      fx[x] = (float) (gx - x0[x]);
    }
    CorrelatedNoise noise = new CorrelatedNoise(cols, noiseSeed, GAUSS);
    float[] n = new float[cols];
    for (int y = 0; y < rows; y++) {
      noise.nextRow(n);
      double gy = Math.max(0, Math.min(grid.gh - 1.001, (y + 0.5) * grid.gh / rows - 0.5));
      int y0 = (int) gy;
      float fy = (float) (gy - y0);
      int r0 = y0 * grid.gw;
      int r1 = r0 + grid.gw;
      for (int x = 0; x < cols; x++) {
        int i = r0 + x0[x];
        float top = grid.mu[i] + fx[x] * (grid.mu[i + 1] - grid.mu[i]);
        float bottom =
            grid.mu[i + grid.gw] + fx[x] * (grid.mu[i + grid.gw + 1] - grid.mu[i + grid.gw]);
        float mu = top + fy * (bottom - top);
        int t = Math.min(4095, Math.max(0, (int) (mu * 512)));
        double d = tone[t];
        double value = lo + d * span + sigma * (0.6 + 0.8 * d) * n[x];
        int v = (int) Math.round(Math.max(0, Math.min(max, value)));
        out[y * cols + x] = (short) (mono1 ? max - v : v);
      }
    }
    return out;
  }

  private static float[] toneTable(double k) {
    float[] t = new float[4096];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) (1 - Math.exp(-k * i / 512.0));
    }
    return t;
  }

  private static float[] gaussTable() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(20240611L);
    float[] g = new float[65536];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) r.nextGaussian();
    }
    return g;
  }

  /** Maps stored pixels and working-grid cells to anatomical coordinates. */
  static final class Geometry {
    final int rows;
    final int columns;
    final double cx;
    final double cy;
    final double scale;
    final double cos;
    final double sin;
    final double vCenter = 0.98;

    Geometry(Acquisition a) {
      rows = a.rows();
      columns = a.columns();
      cx = columns / 2.0 + a.shiftX() * columns;
      cy = rows / 2.0 + a.shiftY() * rows;
      scale = a.fill() * columns / UNITS_ACROSS;
      double t = Math.toRadians(a.rotationDegrees());
      cos = Math.cos(t);
      sin = Math.sin(t);
    }

    double u(double x, double y) {
      return (cos * (x - cx) + sin * (y - cy)) / scale;
    }

    double v(double x, double y) {
      return vCenter + (-sin * (x - cx) + cos * (y - cy)) / scale;
    }

    double x(double u, double v) {
      return cx + scale * (cos * u - sin * (v - vCenter));
    }

    double y(double u, double v) {
      return cy + scale * (sin * u + cos * (v - vCenter));
    }

    /** Stored-pixel x where the midline u = 0 crosses row y. */
    double midlineX(double y) {
      return cx - sin / cos * (y - cy);
    }
  }
}
