package dev.bazaar.platform.resilience;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: before retry n (1-based) wait a random time in
 * [0, min(cap, base * 2^(n-1))], so 100 ms, 200 ms, 400 ms ... capped; at most {@code maxAttempts}
 * attempts in all and never beyond {@code budgetMs} since the first one.
 */
public record RetryPolicy(int maxAttempts, long baseDelayMs, long capDelayMs, long budgetMs) {

  public RetryPolicy {
    if (maxAttempts < 1 || baseDelayMs < 1 || capDelayMs < baseDelayMs || budgetMs < 1) {
      throw new IllegalArgumentException("invalid retry policy");
    }
  }

  public static RetryPolicy none() {
    return new RetryPolicy(1, 1, 1, 1);
  }

  /** The upper bound of the wait before retry {@code retry} (1 = first retry). */
  public long ceilingMs(int retry) {
    int shift = Math.min(retry - 1, 30);
    long exponential = baseDelayMs << shift;
    return Math.min(capDelayMs, exponential <= 0 ? capDelayMs : exponential);
  }

  /** A jittered delay before retry {@code retry}. */
  public long delayMs(int retry) {
    return delayMs(retry, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
  }

  long delayMs(int retry, LongUnaryOperator random) {
    return random.applyAsLong(ceilingMs(retry));
  }

  /** May attempt number {@code nextAttempt} (1-based) start after {@code elapsedMs} plus {@code delayMs}? */
  public boolean allows(int nextAttempt, long elapsedMs, long delayMs) {
    return nextAttempt <= maxAttempts && elapsedMs + delayMs < budgetMs;
  }
}
