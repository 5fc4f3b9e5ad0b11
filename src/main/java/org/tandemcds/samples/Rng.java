package org.tandemcds.samples;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded random stream with the draws the generator needs. Streams are derived from (seed, study
 * index, purpose) alone, so a study is the same whichever shard or order produces it. Not
 * thread-safe: one instance per study and purpose.
 */
final class Rng {
  private final SplittableRandom random;

  Rng(long seed, long index, String purpose) {
    this.random =
        new SplittableRandom(
            mix(mix(seed) ^ mix(index + 0x9E3779B97F4A7C15L) ^ purpose.hashCode()));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  double uniform() {
    return random.nextDouble();
  }

  double uniform(double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  int between(int lo, int hiInclusive) {
    return random.nextInt(lo, hiInclusive + 1);
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  double gaussian() {
    return random.nextGaussian();
  }

  long nextLong() {
    return random.nextLong();
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  @SafeVarargs
  final <T> T pick(T... items) {
    return items[random.nextInt(items.length)];
  }

  /** Index drawn with the given (unnormalised) weights. */
  int weighted(double... weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double r = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
