package org.tandemcds.samples;

/**
 * Draws how a radiograph is acquired: CR or DX, view, photometric interpretation, bit depth, size,
 * spacing, transfer syntax, exposure and positioning. Site {@code a} is CR-heavy and mostly
 * MONOCHROME1, site {@code b} DX-heavy; {@code mixed} draws the site per patient.
 */
final class AcquisitionSampler {
  private static final int[] BITS = {12, 14, 15, 16};
  private final SampleOptions options;

  AcquisitionSampler(SampleOptions options) {
    this.options = options;
  }

  Acquisition sample(Rng rng, SamplePatient patient) {
    boolean siteA = patient.issuer().endsWith("A");
    boolean cr = rng.chance(siteA ? 0.85 : 0.15);
    boolean processing = !cr && rng.chance(0.12);
    boolean ap = rng.chance(0.35);
    boolean mono1 = !processing && rng.chance(cr ? (siteA ? 0.7 : 0.4) : 0.2);
    int rows = rng.between(options.minSide(), options.maxSide());
    int columns = Math.max(options.minSide(), (int) Math.round(rows * rng.uniform(0.84, 1.0)));
    double spacing = clamp(rng.uniform(350, 430) / Math.max(rows, columns), 0.1, 0.2);
    TransferSyntax ts = rng.pick(options.transferSyntaxes());
    return new Acquisition(
        cr ? "CR" : "DX",
        cr
            ? LatentSampler.CR
            : processing ? LatentSampler.DX_PROCESSING : LatentSampler.DX_PRESENTATION,
        cr ? "" : processing ? "FOR PROCESSING" : "FOR PRESENTATION",
        ap ? "AP" : "PA",
        mono1 ? "MONOCHROME1" : "MONOCHROME2",
        BITS[rng.weighted(0.4, 0.25, 0.1, 0.25)],
        rows,
        columns,
        Math.round(spacing * 10000) / 10000.0,
        ts.uid(),
        siteA ? "Tandem Synthetic Imaging" : "Phantom Radiography Works",
        cr ? (siteA ? "PhantomCR 1" : "PlateReader S") : (siteA ? "PhantomDR 2" : "FlatPanel X9"),
        ap ? rng.uniform(85, 100) : rng.uniform(105, 125),
        rng.uniform(1.2, 5.0),
        rng.uniform(0.003, 0.008),
        rng.uniform(0.85, 1.2),
        rng.uniform(-4, 4),
        rng.uniform(-0.035, 0.035),
        rng.uniform(-0.03, 0.03),
        rng.uniform(0.84, 0.95),
        ap ? rng.uniform(0.84, 0.98) : rng.uniform(0.92, 1.05));
  }

  private static double clamp(double x, double lo, double hi) {
    return Math.max(lo, Math.min(hi, x));
  }
}
