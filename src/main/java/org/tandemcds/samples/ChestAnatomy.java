package org.tandemcds.samples;

/**
 * The normal soft-tissue anatomy of one patient as attenuation (line integrals in arbitrary units)
 * over anatomical coordinates: {@code u} across (patient's left positive, 1 unit = half the inner
 * thoracic width, so the lung fields reach |u| = 1 at the costophrenic angles), {@code v} downwards
 * from the top of the thorax, same unit. Bones are in {@link Skeleton}. Immutable.
 *
 * <p>Shapes: a rounded torso tapering through sloping shoulders to the neck, upper arms at the
 * edges, breasts or pectoral shadows; two lungs with rounded apices, lateral walls widening
 * downwards to deep costophrenic angles, domed hemidiaphragms (right higher), air thickness falling
 * off medially, apically and at the bases; one mediastinal/cardiac silhouette whose right border is
 * the superior vena cava then the right atrium and whose left border is the aortic knob, the
 * pulmonary trunk and the left ventricle, its widest extent set by the cardiothoracic ratio; the
 * trachea narrowing to the carina and the main bronchi; hila; liver under the right dome and a
 * gastric bubble under the left one in most patients.
 */
final class ChestAnatomy {
  final double apex;

  /** Level of the right/left costophrenic angle (the lowest point of each lung field). */
  final double domeRight;

  final double domeLeft;
  final double domeRise;
  final double mediastinum;
  final double heartRight;
  final double heartLeft;
  final double carina;
  final double knobV;
  final double hilumRightV;
  final double hilumLeftV;
  final double torso;
  final double fat;
  final boolean female;
  final boolean ap;
  final Skeleton skeleton;
  private final double rvTop;
  private final double lvTop;
  private final double bubble;
  private final double armOut;
  private final double breastSize;

  ChestAnatomy(Rng rng, LatentCase c, double renderedCtr) {
    Acquisition a = c.acquisition();
    ap = a.viewPosition().equals("AP");
    female = c.patient().sex().equals("F");
    apex = 0.16 + 0.02 * rng.gaussian();
    double depth = (1.6 + 0.06 * rng.gaussian()) * a.inspiration();
    domeLeft = apex + depth;
    domeRight = domeLeft - rng.uniform(0.02, 0.06);
    domeRise = rng.uniform(0.2, 0.3) * (ap ? 1.1 : 1.0);
    mediastinum = (ap ? 0.15 : 0.13) + 0.012 * rng.gaussian();
    double width = 2 * renderedCtr;
    heartRight = rng.uniform(0.33, 0.39) * width;
    heartLeft = width - heartRight;
    carina = apex + 0.4 + 0.03 * rng.gaussian();
    knobV = apex + 0.33 + 0.03 * rng.gaussian() - (ap ? 0.03 : 0);
    hilumLeftV = carina + 0.2;
    hilumRightV = carina + 0.27;
    rvTop = dome(0.25, -1) - rng.uniform(0.5, 0.6);
    lvTop = dome(0.6, 1) - rng.uniform(0.55, 0.65) * (0.8 + 0.4 * renderedCtr);
    fat = Math.max(0.02, 0.1 + 0.06 * rng.gaussian());
    torso = 1.07 + fat;
    armOut = rng.uniform(0.0, 0.12);
    bubble = rng.chance(0.65) ? rng.uniform(0.07, 0.13) : 0;
    breastSize = female ? rng.uniform(0.7, 1.2) : rng.uniform(0.2, 0.5);
    skeleton = new Skeleton(rng, this);
  }

  /** The lower lung border (diaphragm dome) of side {@code sign} at |u| = {@code au}. */
  double dome(double au, int sign) {
    double base = sign > 0 ? domeLeft : domeRight;
    double peak = 0.42;
    double t = au >= peak ? (au - peak) / (1 - peak) : 0.45 * (peak - au) / peak;
    double tt = Math.min(t, 1.2);
    return base - domeRise * (1 - tt * tt);
  }

  /** The lateral lung border |u| at height {@code v}: rounded apex, widest at the base. */
  double lateral(double v) {
    double t = (v - apex + 0.05) / (0.92 * (domeLeft - apex));
    if (t <= 0) {
      return 0;
    }
    return t >= 1 ? 1 : Math.pow(t, 0.3);
  }

  /** The upper lung border (apex) at |u| = {@code au}. */
  double top(double au) {
    return apex + 0.9 * sq(au - 0.4);
  }

  /** Half-width of the mediastinal/cardiac silhouette on side {@code sign} at height v. */
  double medial(double v, int sign) {
    double base = mediastinum + 0.02 * sat((v - apex) / 0.6);
    if (sign < 0) {
      double ra = heartRight * ellipse((v - (rvTop + 0.55 * (domeRight - rvTop))) / 0.46);
      return Math.max(base + 0.01 * sat((v - carina) / 0.2), ra);
    }
    boolean near = Math.abs(v - knobV - 0.1) < 0.4;
    double knob = near ? (0.1 + 0.03 * mediastinum / 0.14) * Math.exp(-sq((v - knobV) / 0.075)) : 0;
    double trunk = near ? 0.07 * Math.exp(-sq((v - knobV - 0.2) / 0.07)) : 0;
    double lvMid = lvTop + 0.85 * (domeLeft - lvTop);
    double lv = heartLeft * ellipse((v - lvMid) / (0.85 * (domeLeft - lvTop) + 0.02));
    double waist = 0.05 * sat((v - knobV) / 0.3);
    return Math.max(base + Math.max(knob, Math.max(trunk, waist)), lv);
  }

  private static double ellipse(double t) {
    return t * t < 1 ? Math.sqrt(1 - t * t) : 0;
  }

  /**
   * 0 outside the heart, 1 inside, with a soft edge (the part of the silhouette below the hila).
   */
  double heart(double u, double v) {
    if (v < Math.min(rvTop, lvTop)) {
      return 0;
    }
    return silhouette(u, v) * sat((v - Math.min(rvTop, lvTop)) / 0.08);
  }

  /** 0 outside the mediastinal/cardiac silhouette, 1 inside, with a soft edge. */
  double silhouette(double u, double v) {
    double m = medial(v, u >= 0 ? 1 : -1);
    return sat((m - Math.abs(u)) / 0.012 + 0.5);
  }

  /** Relative thickness across the silhouette: 1 at the midline, 0 at its border. */
  double profile(double u, double v) {
    double x = Math.abs(u) / medial(v, u >= 0 ? 1 : -1);
    return x < 1 ? Math.sqrt(1 - x * x) : 0;
  }

  /** Fraction of the lung region at (u, v): 0 outside the lungs, soft at the edges. */
  double lungDepth(double u, double v) {
    double au = Math.abs(u);
    int sign = u >= 0 ? 1 : -1;
    double dl = lateral(v) - au;
    double dt = v - top(au);
    double dd = dome(au, sign) - v;
    double dm = au - 0.06;
    if (dl <= 0 || dt <= 0 || dd <= 0 || dm <= 0) {
      return 0;
    }
    return sat(dl / 0.012) * sat(dt / 0.02) * sat(dd / 0.008) * sat(dm / 0.05);
  }

  /**
   * Air thickness (relative, up to 1) at (u, v) for a lung fraction {@code lung}: thinner near the
   * lateral wall, the apex, medially and in the bases, and behind the heart.
   */
  double air(double u, double v, double lung) {
    double au = Math.abs(u);
    double wall = 0.55 + 0.45 * sat((lateral(v) - au) / 0.28);
    double apical = 0.6 + 0.4 * sat((v - top(au)) / 0.35);
    double basal = 1 - 0.18 * sat((v - apex - 0.9) / 0.7);
    double medialFade = 0.8 + 0.2 * sat((au - 0.15) / 0.3);
    double behind = 1 - silhouette(u, v) * (0.3 + 0.5 * profile(u, v));
    return lung * wall * apical * basal * medialFade * behind;
  }

  /** Soft tissue: torso, neck, shoulders, arms, breasts; abdomen and liver below the domes. */
  double body(double u, double v) {
    double au = Math.abs(u);
    double w = halfWidth(v);
    double x = au / w;
    double soft = x < 1 ? 1.45 * Math.pow(1 - x * x, 0.35) * (1 + 0.6 * fat) : 0;
    double arm = arm(au, v);
    if (soft <= 0 && arm <= 0) {
      return 0;
    }
    double shoulder = 0.3 * sat((0.45 - v) / 0.45) * sat((v + 0.25) / 0.2) * sat((au - 0.2) / 0.4);
    double tissue = soft > 0 ? shoulder * sat(1 - x) * 4 + breast(au, v) : 0;
    return soft + arm + Math.min(tissue, 0.5) + (soft > 0 ? abdomen(u, v) : 0);
  }

  private double halfWidth(double v) {
    double neck = 0.36 + 0.3 * fat;
    double t = sat((v + 0.45) / 0.6);
    double s = t * t * (3 - 2 * t);
    double chest = torso * (0.93 + 0.07 * sat((v - apex) / 1.3)) - 0.05 * sat((v - domeLeft) / 0.8);
    return neck + (chest - neck) * s;
  }

  private double arm(double au, double v) {
    double c = torso + 0.12 + armOut;
    double x = (au - c) / (0.3 + 0.15 * fat);
    double cap = v - (skeleton.headV() - 0.19 + 0.9 * sq(au - c));
    if (x * x >= 1 || cap <= 0) {
      return 0;
    }
    return 0.8 * Math.pow(1 - x * x, 0.35) * sat(cap / 0.15);
  }

  private double breast(double au, double v) {
    double cy = domeLeft - 0.18;
    double r2 = sq((au - 0.62) / (0.4 * breastSize)) + sq((v - cy) / (0.3 * breastSize));
    if (r2 >= 1) {
      return 0;
    }
    double lower = v > cy ? 1 : sat((v - cy + 0.3 * breastSize) / (0.3 * breastSize));
    return (female ? 0.4 : 0.1) * Math.sqrt(1 - r2) * lower;
  }

  private double abdomen(double u, double v) {
    double au = Math.abs(u);
    int sign = u >= 0 ? 1 : -1;
    double below = v - dome(Math.min(au, 1.0), sign);
    if (below <= 0) {
      return 0;
    }
    double organ = 0.32 * sat(below / 0.02) * sat((1.04 - au) / 0.1);
    double liver = sign < 0 ? 0.12 * sat(below / 0.1) : 0.05;
    return organ + liver - gastricBubble(u, v);
  }

  private double gastricBubble(double u, double v) {
    if (bubble <= 0 || u < 0) {
      return 0;
    }
    double top = dome(0.5, 1) + 0.035;
    double r2 = sq((u - 0.5) / (bubble * 1.5)) + sq((v - top - bubble) / bubble);
    if (r2 >= 1 || v > top + 1.2 * bubble) {
      return 0;
    }
    return 0.7 * Math.sqrt(1 - r2);
  }

  /** Air in the trachea and main bronchi (negative attenuation). */
  double airways(double u, double v) {
    if (v < carina) {
      double half = 0.058 - 0.012 * sat((v - apex) / (carina - apex));
      double x = (u + 0.012 * sat((v - knobV + 0.15) / 0.15)) / half;
      return x * x < 1 && v > -1
          ? -0.55 * Math.sqrt(1 - x * x) * sat((carina - v) / 0.02 + 0.3)
          : 0;
    }
    double right = segmentDistance(u, v, 0, carina, -0.17, carina + 0.2);
    double left = segmentDistance(u, v, 0, carina, 0.24, carina + 0.16);
    double d = Math.min(right / 0.034, left / 0.03);
    return d < 1 ? -0.4 * Math.sqrt(1 - d * d) : 0;
  }

  /** Hilar vessels and nodes: lobulated densities, the left hilum higher than the right. */
  double hilum(double u, double v) {
    double hv = u >= 0 ? hilumLeftV : hilumRightV;
    double du = Math.abs(u) - (u >= 0 ? 0.27 : 0.25);
    double dv = v - hv;
    if (Math.abs(du) > 0.3 || Math.abs(dv) > 0.4) {
      return 0;
    }
    double main = Math.exp(-(sq(du / 0.09) + sq(dv / 0.16)));
    double lobe = Math.exp(-(sq((du - 0.03) / 0.06) + sq((dv + 0.12) / 0.07)));
    return 0.16 * main + 0.08 * lobe;
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
