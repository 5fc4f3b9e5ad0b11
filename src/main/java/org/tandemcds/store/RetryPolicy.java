package org.tandemcds.store;

import java.time.Duration;

/**
 * How often a failed job is tried again: at most {@code maxAttempts} claims in all, the n-th retry
 * waiting {@code initialBackoff * 2^(n-1)}, never more than {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public RetryPolicy {
    if (maxAttempts < 1
        || initialBackoff.isNegative()
        || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "retry policy needs maxAttempts >= 1, 0 <= initial <= max");
    }
  }

  /** The wait before the attempt following failed attempt number {@code attempt} (1-based). */
  public Duration backoffAfter(int attempt) {
    int doublings = Math.min(attempt - 1, 30);
    Duration backoff = initialBackoff.multipliedBy(1L << doublings);
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }
}
