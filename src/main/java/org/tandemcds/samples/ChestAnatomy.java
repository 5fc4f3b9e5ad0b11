package org.tandemcds.samples;

/**
 * The normal anatomy of one patient as attenuation (line integrals in arbitrary units) over
 * anatomical coordinates: {@code u} across (patient's left positive, 1 unit = half the inner
 * thoracic width), {@code v} downwards from the top of the thorax, same unit. Immutable.
 */
final class ChestAnatomy {
  final double apex;
  final double domeRight;
  final double domeLeft;
  final double domeRise;
  final double mediastinum;
  final double heartU;
  final double heartV;
  final double heartB;
  final double heartRight;
  final double heartLeft;
  final double ribStart;
  final double ribSpacing;
  final double clavicle;
  final boolean female;
  final boolean ap;
  final double carina = 0.55;

  ChestAnatomy(Rng rng, LatentCase c, double renderedCtr) {
    Acquisition a = c.acquisition();
    ap = a.viewPosition().equals("AP");
    female = c.patient().sex().equals("F");
    apex = 0.15 + 0.02 * rng.gaussian();
    double depth = (1.62 + 0.06 * rng.gaussian()) * a.inspiration();
    domeLeft = apex + depth;
    domeRight = domeLeft - rng.uniform(0.03, 0.09);
    domeRise = rng.uniform(0.14, 0.22);
    mediastinum = (ap ? 0.18 : 0.15) + 0.015 * rng.gaussian();
    double width = 2 * renderedCtr;
    heartRight = 0.36 * width;
    heartLeft = 0.64 * width;
    heartU = 0.04;
    heartB = rng.uniform(0.36, 0.44) * (0.7 + 0.6 * renderedCtr);
    heartV = domeLeft - 0.72 * heartB;
    ribStart = apex - 0.12 + 0.02 * rng.gaussian();
    ribSpacing = (domeLeft - apex) / rng.uniform(9.5, 10.5);
    clavicle = ap ? apex - 0.02 : apex + 0.05;
  }

  double dome(double au, int sign) {
    double base = sign > 0 ? domeLeft : domeRight;
    double t = au >= 0.45 ? (au - 0.45) / 0.55 : (0.45 - au) / 0.6;
    return base - domeRise * Math.max(0, 1 - t * t);
  }

  double lateral(double v) {
    if (v <= apex - 0.02) {
      return 0;
    }
    return 0.12 + 0.88 * Math.sqrt(sat((v - apex + 0.02) / 1.15));
  }

  double top(double au) {
    return apex + 0.55 * (au - 0.45) * (au - 0.45);
  }

  double medial(double v, int sign) {
    double knob = sign > 0 ? 0.07 * Math.exp(-sq((v - 0.55) / 0.08)) : 0;
    return mediastinum + knob;
  }

  /** 0 outside the heart, 1 inside, with a soft edge. */
  double heart(double u, double v) {
    double dx = u - heartU;
    double a = dx < 0 ? heartRight : heartLeft;
    double r = Math.sqrt(sq(dx / a) + sq((v - heartV) / heartB));
    return sat((1 - r) / 0.04);
  }

  /** Fraction of full lung air at (u, v): 0 outside the lungs, soft at the edges. */
  double lungDepth(double u, double v) {
    double au = Math.abs(u);
    int sign = u >= 0 ? 1 : -1;
    double dl = lateral(v) - au;
    double dt = v - top(au);
    double dd = dome(au, sign) - v;
    double dm = au - medial(v, sign);
    if (dl <= 0 || dt <= 0 || dd <= 0 || dm <= 0) {
      return 0;
    }
    return sat(dl / 0.10) * sat(dt / 0.07) * sat(dd / 0.04) * sat(dm / 0.05) * (1 - heart(u, v));
  }

  double body(double u, double v) {
    double shoulder = sat((v + 0.1) / 0.3);
    double bw = 0.42 + 0.8 * Math.sqrt(shoulder) - 0.06 * sat((v - 1.6) / 0.6);
    double x = u / bw;
    double soft = x * x < 1 ? Math.sqrt(1 - x * x) : 0;
    double below = v - dome(Math.abs(u), u >= 0 ? 1 : -1);
    double abdomen = Math.abs(u) < 1.1 ? 0.35 * sat(below / 0.03) : 0;
    double breast = female ? breast(u, v) : 0;
    return 1.75 * soft + (soft > 0 ? abdomen + breast : 0);
  }

  private double breast(double u, double v) {
    double cy = domeLeft - 0.2;
    double r2 = sq((Math.abs(u) - 0.58) / 0.42) + sq((v - cy) / 0.36);
    return r2 < 1 && v > cy - 0.15 ? 0.3 * Math.sqrt(1 - r2) : 0;
  }

  double bones(double u, double v) {
    return posteriorRib(u, v)
        + anteriorRib(u, v)
        + clavicleBone(u, v)
        + spine(u, v)
        + humerus(u, v);
  }

  private double posteriorRib(double u, double v) {
    double au = Math.abs(u);
    if (au < 0.07 || au > lateral(v) + 0.12 || v > dome(au, u >= 0 ? 1 : -1) + 0.12) {
      return 0;
    }
    double w = v - ribStart + 0.08 * au - 0.45 * au * au;
    int i = (int) Math.round(w / ribSpacing);
    if (i < 0 || i > 10) {
      return 0;
    }
    double half = (0.05 + 0.008 * i / 10.0) / 2;
    double x = Math.abs(w - i * ribSpacing) / half;
    return x < 1 ? 0.22 * Math.sqrt(1 - x * x) + (x > 0.72 ? 0.12 : 0) : 0;
  }

  private double anteriorRib(double u, double v) {
    double au = Math.abs(u);
    if (au < 0.3 || au > 1.05) {
      return 0;
    }
    double w = v - (ribStart + 0.25) - 0.32 * (1.05 - au);
    int i = (int) Math.round(w / (ribSpacing * 1.05));
    if (i < 0 || i > 5) {
      return 0;
    }
    double x = Math.abs(w - i * ribSpacing * 1.05) / 0.03;
    return x < 1 ? 0.1 * Math.sqrt(1 - x * x) : 0;
  }

  private double clavicleBone(double u, double v) {
    double au = Math.abs(u);
    if (au < 0.08 || au > 1.05) {
      return 0;
    }
    double t = (au - 0.08) / 0.97;
    double vc = clavicle + 0.03 - (ap ? 0.06 : 0.16) * t + 0.04 * Math.sin(Math.PI * t);
    double x = Math.abs(v - vc) / 0.032;
    return x < 1 ? 0.32 * Math.sqrt(1 - x * x) + (x > 0.75 ? 0.1 : 0) : 0;
  }

  private double spine(double u, double v) {
    double x = u / 0.085;
    if (x * x >= 1 || v < -0.4) {
      return 0;
    }
    double disc = Math.cos(Math.PI * v / 0.16);
    return 0.42 * Math.sqrt(1 - x * x) * (0.8 + 0.2 * disc * disc);
  }

  private double humerus(double u, double v) {
    double r2 = sq((Math.abs(u) - 1.24) / 0.2) + sq((v - 0.02) / 0.22);
    return r2 < 1 ? 0.5 * Math.sqrt(1 - r2) : 0;
  }

  /** Air in the trachea and main bronchi (negative attenuation). */
  double airways(double u, double v) {
    double au = Math.abs(u);
    if (v < carina) {
      double x = u / 0.035;
      return x * x < 1 && v > -0.4 ? -0.35 * Math.sqrt(1 - x * x) : 0;
    }
    double d = segmentDistance(au, v, 0, carina, 0.22, carina + 0.2);
    return d < 0.022 ? -0.25 * (1 - d / 0.022) : 0;
  }

  double hilum(double u, double v) {
    return 0.18 * Math.exp(-(sq((Math.abs(u) - 0.24) / 0.08) + sq((v - 0.8) / 0.12)));
  }

  double scapula(double u, double v) {
    double au = Math.abs(u);
    if (!ap || au < 0.72 || au > 1.15 || v < 0.05 || v > 0.9) {
      return 0;
    }
    double edge = 0.72 + 0.3 * (v - 0.05) / 0.85;
    return au > edge ? 0.12 : 0;
  }

  static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
    double dx = bx - ax;
    double dy = by - ay;
    double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
    t = Math.max(0, Math.min(1, t));
    return Math.hypot(px - ax - t * dx, py - ay - t * dy);
  }

  static double sat(double x) {
    return x <= 0 ? 0 : x >= 1 ? 1 : x;
  }

  static double sq(double x) {
    return x * x;
  }
}
