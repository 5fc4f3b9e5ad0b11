package org.tandemcds.samples;

/**
 * A lung opacity placed in anatomical coordinates: a cluster of blobs whose number, spread and edge
 * softness grow with the morphology value (round nodule → patchy consolidation), with optional air
 * bronchograms. Immutable.
 */
final class OpacityShape {
  final Lesions.Opacity plan;
  final double cu;
  final double cv;
  final double radius;
  private final double[] bu;
  private final double[] bv;
  private final double[] br;
  private final double phase;
  private final double[][] bronchi;

  OpacityShape(Lesions.Opacity plan, ChestAnatomy anatomy, Rng rng) {
    this.plan = plan;
    int sign = plan.side().sign();
    double v = anatomy.apex + plan.placeV() * (anatomy.dome(plan.placeU(), sign) - anatomy.apex);
    double u = sign * Math.max(plan.placeU(), anatomy.medial(v, sign) + 0.12);
    while (anatomy.heart(u, v) > 0.3 && Math.abs(u) < 0.85) {
      u += 0.05 * sign;
    }
    cu = u;
    cv = v;
    radius = plan.diameter() / 2;
    double m = plan.morphology();
    int blobs = 1 + (int) Math.round(5 * m);
    bu = new double[blobs];
    bv = new double[blobs];
    br = new double[blobs];
    for (int i = 0; i < blobs; i++) {
      double spread = i == 0 ? 0 : radius * 0.55 * m;
      bu[i] = cu + spread * rng.gaussian();
      bv[i] = cv + spread * rng.gaussian();
      br[i] = radius * (1 - 0.4 * m) * (i == 0 ? 1 : rng.uniform(0.6, 1.0));
    }
    phase = rng.uniform(0, 2 * Math.PI);
    bronchi = plan.airBronchograms() ? bronchi(rng) : new double[0][];
  }

  private double[][] bronchi(Rng rng) {
    double[][] b = new double[3][];
    for (int i = 0; i < 3; i++) {
      double angle = rng.uniform(0, 2 * Math.PI);
      double len = radius * rng.uniform(0.5, 0.9);
      double su = cu + 0.2 * radius * rng.gaussian();
      double sv = cv + 0.2 * radius * rng.gaussian();
      b[i] = new double[] {su, sv, su + len * Math.cos(angle), sv + len * Math.sin(angle)};
    }
    return b;
  }

  /** Whether (u, v) can be touched at all (a cheap bounding test). */
  boolean near(double u, double v) {
    double reach = radius * 1.9;
    return Math.abs(u - cu) < reach && Math.abs(v - cv) < reach;
  }

  /** Opacity in [0, 1] at (u, v). */
  double value(double u, double v) {
    double m = plan.morphology();
    double best = 0;
    for (int i = 0; i < bu.length; i++) {
      double du = u - bu[i];
      double dv = v - bv[i];
      double angle = Math.atan2(dv, du);
      double lobe = 1 + (0.06 + 0.12 * m) * Math.sin(3 * angle + phase + i);
      double r = Math.hypot(du, dv) / (br[i] * lobe);
      double sharp = r < 1 ? Math.sqrt(1 - r * r) : 0;
      double soft = r < 1.8 ? Math.exp(-2.2 * r * r) : 0;
      best = Math.max(best, (1 - m) * sharp + m * soft);
    }
    return best * bronchogramFactor(u, v);
  }

  private double bronchogramFactor(double u, double v) {
    for (double[] b : bronchi) {
      if (ChestAnatomy.segmentDistance(u, v, b[0], b[1], b[2], b[3]) < 0.009) {
        return 0.45;
      }
    }
    return 1;
  }
}
