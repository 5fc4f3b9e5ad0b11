package org.tandemcds.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * Lung markings: branching vessel trees from each hilum, tapering towards the periphery, stamped
 * into the grid where lung is visible (so none show beyond a pneumothorax's pleural line or inside
 * an effusion).
 */
final class VesselTree {
  private final List<double[]> segments = new ArrayList<>();

  VesselTree(Rng rng, ChestAnatomy anatomy) {
    for (int sign : new int[] {-1, 1}) {
      double hu = sign * (sign > 0 ? 0.27 : 0.25);
      double hv = sign > 0 ? anatomy.hilumLeftV : anatomy.hilumRightV;
      for (int b = 0; b < 8; b++) {
        double spread = -1.25 + 2.6 * (b + rng.uniform(0.2, 0.8)) / 8;
        double angle = sign > 0 ? spread : Math.PI - spread;
        double len = spread > 0.3 ? 0.3 : 0.24;
        grow(
            rng,
            hu + 0.03 * rng.gaussian(),
            hv + 0.05 * rng.gaussian(),
            angle,
            len,
            spread > 0.3 ? 0.036 : 0.03,
            0);
      }
    }
  }

  private void grow(
      Rng rng, double u, double v, double angle, double len, double width, int depth) {
    double eu = u + len * Math.cos(angle);
    double ev = v + len * Math.sin(angle);
    segments.add(new double[] {u, v, eu, ev, width});
    if (depth >= 5) {
      return;
    }
    for (int k = 0; k < 2; k++) {
      double turn = (k == 0 ? 1 : -1) * rng.uniform(0.2, 0.6);
      grow(rng, eu, ev, angle + turn, len * rng.uniform(0.6, 0.78), width * 0.7, depth + 1);
    }
  }

  void stamp(Grid grid) {
    ChestRenderer.Geometry g = grid.g;
    double cellsPerUnit = g.scale / grid.cell;
    for (double[] s : segments) {
      double pad = s[4] * 2;
      int x0 = cellX(grid, g.x(s[0], s[1]), g.x(s[2], s[3]), -pad * cellsPerUnit);
      int x1 = cellX(grid, g.x(s[0], s[1]), g.x(s[2], s[3]), pad * cellsPerUnit);
      int y0 = cellY(grid, g.y(s[0], s[1]), g.y(s[2], s[3]), -pad * cellsPerUnit);
      int y1 = cellY(grid, g.y(s[0], s[1]), g.y(s[2], s[3]), pad * cellsPerUnit);
      for (int gy = y0; gy <= y1; gy++) {
        for (int gx = x0; gx <= x1; gx++) {
          add(grid, gx, gy, s);
        }
      }
    }
  }

  private static void add(Grid grid, int gx, int gy, double[] s) {
    int i = gy * grid.gw + gx;
    if (grid.markings[i] <= 0) {
      return;
    }
    double x = grid.storedX(gx);
    double y = grid.storedY(gy);
    double d =
        ChestAnatomy.segmentDistance(grid.g.u(x, y), grid.g.v(x, y), s[0], s[1], s[2], s[3])
            / (s[4] / 2);
    if (d < 1) {
      grid.mu[i] += (float) (0.9 * s[4] * Math.sqrt(1 - d * d) * grid.markings[i] * 4);
    }
  }

  private static int cellX(Grid grid, double a, double b, double pad) {
    double x = (pad < 0 ? Math.min(a, b) : Math.max(a, b)) / grid.cell + pad;
    return Math.max(0, Math.min(grid.gw - 1, (int) x));
  }

  private static int cellY(Grid grid, double a, double b, double pad) {
    double y = (pad < 0 ? Math.min(a, b) : Math.max(a, b)) * grid.gh / grid.g.rows + pad;
    return Math.max(0, Math.min(grid.gh - 1, (int) y));
  }
}
