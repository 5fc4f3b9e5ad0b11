package org.tandemcds.samples;

import static org.tandemcds.samples.ChestAnatomy.sat;
import static org.tandemcds.samples.ChestAnatomy.sq;

/**
 * The bones of one patient as attenuation over anatomical coordinates (see {@link ChestAnatomy}):
 * posterior ribs leaving the spine, rising slightly then curving laterally and downwards, joined at
 * the chest wall to fainter anterior ribs that slope down towards the midline; rib spacing widening
 * downwards and varying per patient; clavicles (S-shaped, flatter on AP); vertebral bodies with end
 * plates, pedicles and spinous processes; scapulae (lateral on PA, over the lungs on AP); humeral
 * heads and shafts. Ribs, clavicles and long bones have cortical edges brighter than their middle.
 * Immutable.
 */
final class Skeleton {
  private final double[] ribV;
  private final double[] ribCurve;
  private final double[] ribEnd;
  private final double[] ribHalf;
  private final double spineTop;
  private final double vertebra;
  private final double clavicleV;
  private final double clavicleRise;
  private final double[] scapula;
  private final double headU;
  private final double headV;
  private final double apex;
  private final double lowest;

  Skeleton(Rng rng, ChestAnatomy a) {
    apex = a.apex;
    lowest = a.domeLeft;
    int n = rng.chance(0.5) ? 12 : 11;
    double s0 = (a.domeLeft - a.apex) / rng.uniform(8.6, 9.8);
    double growth = rng.uniform(0.03, 0.07);
    ribV = new double[n];
    ribCurve = new double[n];
    ribEnd = new double[n];
    ribHalf = new double[n];
    double v = a.apex - rng.uniform(0.08, 0.13);
    for (int i = 0; i < n; i++) {
      ribV[i] = v;
      ribCurve[i] = 0.42 + 0.4 * Math.exp(-i / 1.3) + 0.04 * rng.gaussian();
      ribEnd[i] = Math.min(1.09, a.lateral(v + 0.7 * ribCurve[i]) + 0.07);
      ribHalf[i] = 0.033 + 0.006 * i / n;
      v += s0 * (1 + growth * (i - 4)) * rng.uniform(0.94, 1.06);
    }
    vertebra = s0 * 1.04;
    spineTop = ribV[0] - 0.5 * vertebra - 3 * vertebra;
    clavicleV = a.ap ? a.apex + 0.0 : a.apex + 0.1 + 0.03 * rng.gaussian();
    clavicleRise = a.ap ? rng.uniform(0.0, 0.08) : rng.uniform(0.15, 0.25);
    scapula =
        a.ap
            ? new double[] {0.55, a.apex - 0.15, 1.08, a.apex - 0.05, 0.66, a.apex + 0.7}
            : new double[] {0.76, a.apex - 0.17, 1.1, a.apex - 0.06, 1.0, a.apex + 0.72};
    headU = Math.min(a.torso + 0.12, 1.28);
    headV = a.apex - 0.02 + 0.03 * rng.gaussian();
  }

  double headU() {
    return headU;
  }

  double headV() {
    return headV;
  }

  double value(double u, double v) {
    double au = Math.abs(u);
    double sum = spine(u, v) + clavicle(au, v) + scapula(au, v) + humerus(au, v);
    if (au > 0.04 && au < 1.12 && v > ribV[0] - 0.1) {
      sum += ribs(au, v) * (1 - 0.6 * sat((v - lowest) / 0.5));
    }
    return sum;
  }

  /** Hollow-bone profile across a bone of half-width 1: cortex brighter than the medulla. */
  static double cortex(double x) {
    double ax = Math.abs(x);
    if (ax >= 1) {
      return 0;
    }
    double inner = ax < 0.74 ? Math.sqrt(1 - sq(ax / 0.74)) : 0;
    return Math.sqrt(1 - ax * ax) - 0.62 * inner;
  }

  private double ribs(double au, double v) {
    double sum = 0;
    for (int i = 0; i < ribV.length; i++) {
      if (v < ribV[i] - 0.2 || v > ribV[i] + 1.4) {
        continue;
      }
      double c = ribCurve[i];
      if (au <= ribEnd[i]) {
        double vc = ribV[i] - 0.1 * au + c * au * au * au;
        double slope = -0.1 + 3 * c * au * au;
        double d = (v - vc) / (ribHalf[i] * Math.sqrt(1 + slope * slope));
        if (d > -1 && d < 1) {
          sum += 0.3 * cortex(d) * sat((au - 0.04) / 0.05);
        }
      }
      if (au > 0.3 && au <= ribEnd[i]) {
        double e = ribEnd[i];
        double ve = ribV[i] - 0.1 * e + c * e * e * e;
        double va = ve + 0.5 * (e - au) + 0.12 * sq(e - au);
        double d = (v - va) / (0.042 * 1.12);
        if (d > -1 && d < 1) {
          sum += 0.13 * cortex(d) * sat((au - 0.3) / 0.08);
        }
      }
    }
    return sum;
  }

  private double clavicle(double au, double v) {
    if (au < 0.05 || au > 1.02 || Math.abs(v - clavicleV) > 0.35) {
      return 0;
    }
    double t = (au - 0.05) / 0.95;
    double vc = clavicleV - clavicleRise * t + 0.035 * Math.sin(2 * Math.PI * t);
    double half = 0.036 - 0.01 * t + 0.01 * sat((0.12 - t) / 0.12);
    return 0.45 * cortex((v - vc) / half);
  }

  private double spine(double u, double v) {
    if (Math.abs(u) > 0.16 || v < spineTop) {
      return 0;
    }
    double hw = v < apex - 0.1 ? 0.05 : 0.06 + 0.025 * sat((v - apex) / 1.6);
    double k = Math.floor((v - spineTop) / vertebra);
    double local = v - spineTop - (k + 0.5) * vertebra;
    double au = Math.abs(u);
    double body = roundedBox(au, local, hw, 0.4 * vertebra, 0.018);
    double pedicle = ring(au - 0.78 * hw, local + 0.14 * vertebra, 0.016, 0.026);
    double spinous = 0.08 * blob(u, local - 0.28 * vertebra, 0.014, 0.05);
    double column = 0.05 * sat((hw + 0.03 - au) / 0.02);
    return body + 0.16 * pedicle + spinous + column;
  }

  private static double roundedBox(double ax, double ay, double hx, double hy, double r) {
    double dx = ax - (hx - r);
    double dy = Math.abs(ay) - (hy - r);
    double out = Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - r;
    if (out >= 0) {
      return 0;
    }
    double depth = -out;
    return 0.1 * sat(depth / 0.004) + 0.1 * Math.exp(-depth / 0.008);
  }

  private static double ring(double du, double dv, double ru, double rv) {
    double r = Math.sqrt(sq(du / ru) + sq(dv / rv));
    return cortex(r);
  }

  private static double blob(double du, double dv, double ru, double rv) {
    double r2 = sq(du / ru) + sq(dv / rv);
    return r2 < 1 ? Math.sqrt(1 - r2) : 0;
  }

  private double scapula(double au, double v) {
    double[] p = scapula;
    if (au < Math.min(p[0], p[4]) - 0.02 || v < p[1] - 0.02 || v > p[5] + 0.02) {
      return 0;
    }
    double e1 = edge(au, v, p[0], p[1], p[2], p[3]);
    double e2 = edge(au, v, p[2], p[3], p[4], p[5]);
    double e3 = edge(au, v, p[4], p[5], p[0], p[1]);
    double inside = Math.min(e1, Math.min(e2, e3));
    if (inside <= 0) {
      return 0;
    }
    return 0.07 * sat(inside / 0.01) + 0.1 * Math.exp(-e2 / 0.03) + 0.05 * Math.exp(-e3 / 0.01);
  }

  /** Signed distance of (x, y) from the line a→b, positive on the triangle's inner side. */
  private static double edge(double x, double y, double ax, double ay, double bx, double by) {
    double dx = bx - ax;
    double dy = by - ay;
    return ((x - ax) * dy - (y - ay) * dx) / Math.hypot(dx, dy);
  }

  private double humerus(double au, double v) {
    if (au < headU - 0.16 || v < headV - 0.13) {
      return 0;
    }
    double r = Math.hypot(au - headU, v - headV) / 0.115;
    double head = r < 1 ? 0.22 + 0.3 * cortex(r) : 0;
    double shaftU = headU + 0.03;
    double shaft = v > headV ? 0.4 * cortex((au - shaftU) / 0.06) * sat((v - headV) / 0.1) : 0;
    shaft *= sat((headV + 0.8 - v) / 0.4);
    return Math.max(head, shaft);
  }
}
