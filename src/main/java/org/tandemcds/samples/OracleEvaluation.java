package org.tandemcds.samples;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Measures how much each modality of the generator can tell, by simulation from its hidden
 * variables: what an ideal reader of the image alone, of the note alone, and of both would reach.
 * No pixels are rendered. Each case is an image+note study drawn by {@link LatentSampler} and
 * {@link NoteComposer}; per finding the oracle observes
 *
 * <ul>
 *   <li>image: the finding's evidence level as drawn ({@code visible}, {@code subtle}; an occult
 *       finding looks like no finding), and for nodule/mass and consolidation the look of every
 *       visible opacity (nodule-like, consolidation-like or ambiguous) — so an ambiguous opacity
 *       tells the image reader that one of the two is there, not which;
 *   <li>note: the multiset of (stance, strength) of the note spans about the finding (what the
 *       words say; never the polarity, which needs the label);
 *   <li>both: the pair.
 * </ul>
 *
 * The oracle scores a case by P(label | observation) counted on a fit split (Laplace-smoothed; the
 * fused table is smoothed toward the naive-Bayes combination of the two single tables) and is
 * measured on a held-out split by AUROC. Deterministic for a seed; thread-safe.
 */
public final class OracleEvaluation {
  /** AUROC per finding of the image, note and fused oracles, and their macro averages. */
  public record Report(
      Map<Finding, Double> image, Map<Finding, Double> note, Map<Finding, Double> fused) {
    public double macroImage() {
      return macro(image);
    }

    public double macroNote() {
      return macro(note);
    }

    public double macroFused() {
      return macro(fused);
    }

    private static double macro(Map<Finding, Double> m) {
      return m.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
  }

  private record Observation(boolean label, String image, String note) {}

  private static final double FUSED_SMOOTHING = 4.0;

  private final long seed;

  public OracleEvaluation(long seed) {
    this.seed = seed;
  }

  /** Draws {@code fit + test} cases and measures the three oracles on the last {@code test}. */
  public Report evaluate(int fit, int test) {
    SampleOptions options =
        new SampleOptions(
            seed, 64, 64, TransferSyntax.defaultMix(), "mixed", new double[] {1, 0, 0});
    LatentSampler sampler = new LatentSampler(options);
    NoteComposer composer = new NoteComposer();
    Map<Finding, List<Observation>> all = new EnumMap<>(Finding.class);
    for (int i = 0; i < fit + test; i++) {
      LatentCase c = sampler.sample(i);
      SampleNote note = composer.compose(c);
      for (Finding f : Finding.values()) {
        all.computeIfAbsent(f, k -> new ArrayList<>()).add(observe(c, note, f));
      }
    }
    Map<Finding, Double> image = new EnumMap<>(Finding.class);
    Map<Finding, Double> text = new EnumMap<>(Finding.class);
    Map<Finding, Double> fused = new EnumMap<>(Finding.class);
    for (Finding f : Finding.values()) {
      List<Observation> o = all.get(f);
      score(o.subList(0, fit), o.subList(fit, fit + test), f, image, text, fused);
    }
    return new Report(image, text, fused);
  }

  private static void score(
      List<Observation> fit,
      List<Observation> test,
      Finding f,
      Map<Finding, Double> image,
      Map<Finding, Double> text,
      Map<Finding, Double> fused) {
    Table img = Table.count(fit, Observation::image);
    Table note = Table.count(fit, Observation::note);
    Table both = Table.count(fit, o -> o.image() + " | " + o.note());
    double prior = fit.stream().filter(Observation::label).count() / (double) fit.size();
    boolean[] y = new boolean[test.size()];
    double[][] s = new double[3][test.size()];
    for (int i = 0; i < test.size(); i++) {
      Observation o = test.get(i);
      y[i] = o.label();
      s[0][i] = img.probability(o.image(), prior, 1);
      s[1][i] = note.probability(o.note(), prior, 1);
      double nb = naiveBayes(prior, s[0][i], s[1][i]);
      s[2][i] = both.probability(o.image() + " | " + o.note(), nb, FUSED_SMOOTHING);
    }
    image.put(f, auroc(s[0], y));
    text.put(f, auroc(s[1], y));
    fused.put(f, auroc(s[2], y));
  }

  /** P(y | a, b) if a and b were independent given y: odds(a)·odds(b)/odds(prior). */
  static double naiveBayes(double prior, double pa, double pb) {
    double odds = odds(pa) * odds(pb) / odds(prior);
    return odds / (1 + odds);
  }

  private static double odds(double p) {
    double q = Math.min(1 - 1e-9, Math.max(1e-9, p));
    return q / (1 - q);
  }

  private static Observation observe(LatentCase c, SampleNote note, Finding f) {
    return new Observation(c.has(f), imageKey(c, f), noteKey(note, f));
  }

  static String imageKey(LatentCase c, Finding f) {
    if (f == Finding.NODULE_MASS || f == Finding.CONSOLIDATION) {
      return c.lesions().opacities().stream()
          .filter(o -> seen(c.imageEvidence().get(o.finding())))
          .map(o -> c.imageEvidence().get(o.finding()).key() + ":" + look(o))
          .sorted()
          .collect(Collectors.joining(",", "[", "]"));
    }
    ImageEvidence e = c.imageEvidence().get(f);
    return seen(e) ? e.key() : "nothing";
  }

  private static boolean seen(ImageEvidence e) {
    return e == ImageEvidence.VISIBLE || e == ImageEvidence.SUBTLE;
  }

  private static String look(Lesions.Opacity o) {
    if (o.ambiguous()) {
      return "ambiguous";
    }
    return o.finding() == Finding.NODULE_MASS ? "nodule-like" : "consolidation-like";
  }

  static String noteKey(SampleNote note, Finding f) {
    return note.spans().stream()
        .filter(s -> s.finding() == f)
        .map(s -> s.stance().key() + ":" + s.strength())
        .sorted()
        .collect(Collectors.joining(",", "[", "]"));
  }

  /**
   * Area under the ROC curve: the probability that a random positive scores above a random
   * negative, ties counting one half (Mann–Whitney U over tie-averaged ranks).
   */
  static double auroc(double[] score, boolean[] label) {
    TreeMap<Double, long[]> byScore = new TreeMap<>();
    for (int i = 0; i < score.length; i++) {
      byScore.computeIfAbsent(score[i], k -> new long[2])[label[i] ? 1 : 0]++;
    }
    double negativesBelow = 0;
    double u = 0;
    long positives = 0;
    for (long[] n : byScore.values()) {
      u += n[1] * (negativesBelow + 0.5 * n[0]);
      negativesBelow += n[0];
      positives += n[1];
    }
    return u / (positives * negativesBelow);
  }

  /** Positive and total counts per observation key. */
  private record Table(Map<String, long[]> counts) {
    static Table count(
        List<Observation> cases, java.util.function.Function<Observation, String> key) {
      Map<String, long[]> m = new HashMap<>();
      for (Observation o : cases) {
        long[] c = m.computeIfAbsent(key.apply(o), k -> new long[2]);
        c[0] += o.label() ? 1 : 0;
        c[1]++;
      }
      return new Table(m);
    }

    /** (positives + m·p0) / (total + m): the smoothed P(label | key), p0 for an unseen key. */
    double probability(String key, double p0, double m) {
      long[] c = counts.getOrDefault(key, new long[2]);
      return (c[0] + m * p0) / (c[1] + m);
    }
  }
}
