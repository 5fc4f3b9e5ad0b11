package org.tandemcds.samples;

/**
 * Plans a lung opacity. Nodules are round and sharp, consolidations patchy and ill-defined, but a
 * share of each ({@link #AMBIGUOUS}) is drawn from one shared middle range of size, shape and
 * density, so that the image alone cannot tell them apart and the note must.
 */
final class OpacityPlanner {
  static final double AMBIGUOUS = 0.40;
  private static final double MM_PER_UNIT = 140.0;

  private OpacityPlanner() {}

  static Lesions.Opacity plan(Rng rng, Finding f, ImageEvidence e) {
    Side side = rng.pick(Side.values());
    double u = rng.uniform(0.35, 0.8);
    double v = rng.uniform(0.35, 0.9);
    boolean occult = e == ImageEvidence.ABSENT;
    if (!occult && rng.chance(AMBIGUOUS)) {
      double amp = e == ImageEvidence.SUBTLE ? rng.uniform(0.14, 0.2) : rng.uniform(0.28, 0.42);
      return new Lesions.Opacity(
          f, side, mm(rng, 28, 46), rng.uniform(0.35, 0.65), amp, false, true, u, v);
    }
    return f == Finding.NODULE_MASS
        ? nodule(rng, e, side, u, v)
        : consolidation(rng, e, side, u, v);
  }

  private static Lesions.Opacity nodule(Rng rng, ImageEvidence e, Side side, double u, double v) {
    double d =
        switch (e) {
          case SUBTLE -> mm(rng, 8, 14);
          case ABSENT -> mm(rng, 4, 6);
          default -> rng.chance(0.5) ? mm(rng, 14, 30) : mm(rng, 30, 60);
        };
    double amp = e == ImageEvidence.ABSENT ? 0.08 : e == ImageEvidence.SUBTLE ? 0.22 : 0.45;
    return new Lesions.Opacity(
        Finding.NODULE_MASS,
        side,
        d,
        rng.uniform(0.0, 0.28),
        amp * rng.uniform(0.9, 1.15),
        false,
        false,
        u,
        v);
  }

  private static Lesions.Opacity consolidation(
      Rng rng, ImageEvidence e, Side side, double u, double v) {
    double d = e == ImageEvidence.VISIBLE ? mm(rng, 45, 110) : mm(rng, 25, 50);
    double amp = e == ImageEvidence.ABSENT ? 0.05 : e == ImageEvidence.SUBTLE ? 0.13 : 0.34;
    boolean bronchograms = e == ImageEvidence.VISIBLE && rng.chance(0.6);
    return new Lesions.Opacity(
        Finding.CONSOLIDATION,
        side,
        d,
        rng.uniform(0.72, 1.0),
        amp * rng.uniform(0.9, 1.15),
        bronchograms,
        false,
        u,
        v);
  }

  private static double mm(Rng rng, double lo, double hi) {
    return rng.uniform(lo, hi) / MM_PER_UNIT;
  }
}
