package org.tandemcds.samples;

import java.util.List;

/**
 * The working grid: attenuation, lung-marking visibility and finding masks, at most {@link
 * ChestRenderer#GRID} cells a side. Filled once by {@link #fill()}; not thread-safe.
 */
final class Grid {
  final ChestRenderer.Geometry g;
  final int gw;
  final int gh;
  final double cell;
  final float[] mu;
  final float[] markings;
  final byte[] mask;
  private final ChestAnatomy anatomy;
  private final Lesions lesions;
  private final List<OpacityShape> opacities;

  Grid(
      ChestRenderer.Geometry g,
      ChestAnatomy anatomy,
      Lesions lesions,
      List<OpacityShape> opacities) {
    this.g = g;
    this.anatomy = anatomy;
    this.lesions = lesions;
    this.opacities = opacities;
    int f = (int) Math.ceil(Math.max(g.rows, g.columns) / (double) ChestRenderer.GRID);
    gw = (g.columns + f - 1) / f;
    gh = (g.rows + f - 1) / f;
    cell = (double) g.columns / gw;
    mu = new float[gw * gh];
    markings = new float[gw * gh];
    mask = new byte[gw * gh];
  }

  double storedX(int gx) {
    return (gx + 0.5) * g.columns / gw - 0.5;
  }

  double storedY(int gy) {
    return (gy + 0.5) * g.rows / gh - 0.5;
  }

  void fill() {
    for (int gy = 0; gy < gh; gy++) {
      double y = storedY(gy);
      for (int gx = 0; gx < gw; gx++) {
        double x = storedX(gx);
        cellAt(gy * gw + gx, g.u(x, y), g.v(x, y));
      }
    }
  }

  private void cellAt(int i, double u, double v) {
    double body = anatomy.body(u, v);
    if (body <= 0) {
      mu[i] = 0;
      return;
    }
    double heart = anatomy.heart(u, v);
    double lung = anatomy.lungDepth(u, v);
    double visible = lung;
    byte bits = 0;
    double pleural = 0;
    if (lung > 0 || heart > 0.5) {
      double[] state = {lung, visible, 0};
      bits = findings(u, v, heart, state);
      lung = state[0];
      visible = state[1];
      pleural = state[2];
    }
    double value =
        body
            + anatomy.skeleton.value(u, v)
            + anatomy.airways(u, v)
            + anatomy.hilum(u, v)
            + mediastinum(u, v, heart)
            - 1.2 * Math.max(anatomy.air(u, v, lung), pleural)
            - recess(u, v)
            + texture(u, v) * visible
            + opacity(u, v, lung, heart);
    mu[i] = (float) Math.max(0, value) + (float) pleuralLine(u, v);
    markings[i] = (float) (visible * (1 - 0.6 * anatomy.silhouette(u, v)));
    mask[i] = (byte) (bits | opacityBits(u, v, heart));
  }

  /** Soft-tissue density of the mediastinum and heart, ending at the diaphragm. */
  private double mediastinum(double u, double v, double heart) {
    double s = anatomy.silhouette(u, v);
    if (s <= 0) {
      return 0;
    }
    double au = Math.abs(u);
    double dome = anatomy.dome(Math.min(au, 1), u >= 0 ? 1 : -1);
    double cut = ChestAnatomy.sat((dome + 0.03 - v) / 0.05);
    double top = ChestAnatomy.sat((v - anatomy.apex + 0.15) / 0.25);
    return s * cut * top * (0.14 + 0.2 * heart) * (0.5 + 0.5 * anatomy.profile(u, v));
  }

  /** Lung air of the posterior costophrenic recesses, seen through the upper abdomen. */
  private double recess(double u, double v) {
    double au = Math.abs(u);
    int sign = u >= 0 ? 1 : -1;
    for (Lesions.Effusion e : lesions.effusions()) {
      if (e.side().sign() == sign) {
        return 0;
      }
    }
    double below = v - anatomy.dome(Math.min(au, 1), sign);
    if (below <= 0 || below > 0.22 || au > anatomy.lateral(v) || au < 0.15) {
      return 0;
    }
    return 0.3 * (1 - below / 0.22) * ChestAnatomy.sat((au - 0.15) / 0.25);
  }

  private static double texture(double u, double v) {
    return 0.018 * Math.sin(37 * u + 3 * v) * Math.sin(41 * v - 5 * u)
        + 0.012 * Math.sin(71 * u - 23 * v) * Math.sin(67 * v + 19 * u);
  }

  private byte findings(double u, double v, double heart, double[] state) {
    byte bits = 0;
    if (heart > 0.5 && lesions.trueCtr() > 0.5 && v < anatomy.dome(Math.abs(u), 1) + 0.02) {
      bits |= 1 << Finding.CARDIOMEGALY.ordinal();
    }
    bits |= effusion(u, v, state);
    bits |= pneumothorax(u, v, state);
    return bits;
  }

  private byte effusion(double u, double v, double[] state) {
    byte bits = 0;
    double au = Math.abs(u);
    int sign = u >= 0 ? 1 : -1;
    for (Lesions.Effusion e : lesions.effusions()) {
      if (e.side().sign() != sign) {
        continue;
      }
      double base = sign > 0 ? anatomy.domeLeft : anatomy.domeRight;
      double lateralRise = ChestAnatomy.sq(ChestAnatomy.sat((au - 0.15) / 0.85));
      double top = base - e.height() - 0.6 * e.height() * lateralRise;
      double fluid = ChestAnatomy.sat((v - top) / 0.035);
      state[0] *= 1 - fluid;
      state[1] *= 1 - fluid;
      if (fluid > 0.5 && state[0] < 0.5 && inHemithorax(au, v, sign)) {
        bits |= 1 << Finding.PLEURAL_EFFUSION.ordinal();
      }
    }
    return bits;
  }

  private boolean inHemithorax(double au, double v, int sign) {
    return au > anatomy.medial(v, sign)
        && au < anatomy.lateral(v) + 0.02
        && v < (sign > 0 ? anatomy.domeLeft : anatomy.domeRight) + 0.02
        && v > anatomy.top(au);
  }

  private byte pneumothorax(double u, double v, double[] state) {
    for (Lesions.Pneumothorax p : lesions.pneumothorax()) {
      double wall = wallDistance(u, v, p);
      if (wall >= 0 && wall < rim(v, p)) {
        state[0] = ChestAnatomy.sat(wall / 0.02) * ChestAnatomy.sat(state[0] * 8);
        state[1] = 0;
        state[2] = 0.95 * state[0];
        return (byte) (1 << Finding.PNEUMOTHORAX.ordinal());
      }
      if (wall >= 0) {
        state[0] *= 0.92;
      }
    }
    return 0;
  }

  private double wallDistance(double u, double v, Lesions.Pneumothorax p) {
    double au = Math.abs(u);
    if ((u >= 0 ? 1 : -1) != p.side().sign() || anatomy.lungDepth(u, v) <= 0) {
      return -1;
    }
    return Math.min(anatomy.lateral(v) - au, 0.9 * (v - anatomy.top(au)));
  }

  private double rim(double v, Lesions.Pneumothorax p) {
    double dome = p.side() == Side.LEFT ? anatomy.domeLeft : anatomy.domeRight;
    return p.rim() * (1 - 0.55 * ChestAnatomy.sat((v - anatomy.apex) / (dome - anatomy.apex)));
  }

  private double pleuralLine(double u, double v) {
    for (Lesions.Pneumothorax p : lesions.pneumothorax()) {
      double wall = wallDistance(u, v, p);
      if (wall >= 0 && Math.abs(wall - rim(v, p)) < 0.0055) {
        return 0.1;
      }
    }
    return 0;
  }

  private double opacity(double u, double v, double lung, double heart) {
    double sum = 0;
    for (OpacityShape o : opacities) {
      if (o.near(u, v)) {
        double clip =
            o.plan.morphology() > 0.5
                ? ChestAnatomy.sat(lung * 4)
                : 0.4 + 0.6 * ChestAnatomy.sat(lung * 4);
        sum += o.plan.amplitude() * o.value(u, v) * clip;
      }
    }
    return sum;
  }

  private byte opacityBits(double u, double v, double heart) {
    byte bits = 0;
    for (OpacityShape o : opacities) {
      if (o.near(u, v) && o.value(u, v) > 0.35) {
        bits |= 1 << o.plan.finding().ordinal();
      }
    }
    return bits;
  }
}
