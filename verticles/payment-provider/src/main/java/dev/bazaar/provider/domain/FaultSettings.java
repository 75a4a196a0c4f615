package dev.bazaar.provider.domain;

import java.util.random.RandomGenerator;

/**
 * The faults the simulator injects into every {@code /v1} call, so that callers' timeouts,
 * retries and circuit breakers can be shown working.
 *
 * @param latencyMs         added to every call (non-outage), on a timer
 * @param latencyJitterMs   plus a uniformly random 0..latencyJitterMs
 * @param errorRate         fraction of calls answered 503 before anything is done (a retry is safe)
 * @param timeoutRate       fraction of calls that are carried out but never answered: the
 *                          connection is closed after {@code timeoutMs} (the caller must time out,
 *                          then find the charge by its idempotency key or retry with it)
 * @param timeoutMs         how long such a call is held before its connection is closed
 * @param outage            every call is answered 503 at once, with {@code Retry-After}
 * @param retryAfterSeconds the {@code Retry-After} of outage answers
 */
public record FaultSettings(long latencyMs, long latencyJitterMs, double errorRate, double timeoutRate, long timeoutMs,
                            boolean outage, int retryAfterSeconds) {
  public static final long MAX_LATENCY_MS = 60_000;
  public static final long MIN_TIMEOUT_MS = 100;
  public static final long MAX_TIMEOUT_MS = 600_000;
  public static final int MAX_RETRY_AFTER_SECONDS = 3600;
  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_RETRY_AFTER_SECONDS = 5;

  /** No fault at all. */
  public static final FaultSettings NONE = new FaultSettings(0, 0, 0, 0, DEFAULT_TIMEOUT_MS, false, DEFAULT_RETRY_AFTER_SECONDS);

  public FaultSettings {
    requireRange("latencyMs", latencyMs, 0, MAX_LATENCY_MS);
    requireRange("latencyJitterMs", latencyJitterMs, 0, MAX_LATENCY_MS);
    requireRate("errorRate", errorRate);
    requireRate("timeoutRate", timeoutRate);
    if (errorRate + timeoutRate > 1.0 + 1e-9) {
      throw new IllegalArgumentException("errorRate + timeoutRate must be at most 1");
    }
    requireRange("timeoutMs", timeoutMs, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    requireRange("retryAfterSeconds", retryAfterSeconds, 1, MAX_RETRY_AFTER_SECONDS);
  }

  /** What happens to one call: drawn from {@code random} (one draw for the kind, one for the jitter). */
  public FaultDecision decide(RandomGenerator random) {
    if (outage) {
      return new FaultDecision(FaultDecision.Kind.OUTAGE, 0);
    }
    long delay = latencyMs + (latencyJitterMs > 0 ? random.nextLong(latencyJitterMs + 1) : 0);
    double draw = random.nextDouble(); // [0, 1): a rate of 1.0 always hits, 0.0 never
    FaultDecision.Kind kind = draw < errorRate ? FaultDecision.Kind.ERROR
      : draw < errorRate + timeoutRate ? FaultDecision.Kind.TIMEOUT
      : FaultDecision.Kind.PASS;
    return new FaultDecision(kind, delay);
  }

  public static boolean isRate(double value) {
    return value >= 0.0 && value <= 1.0; // false for NaN
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
    }
  }

  private static void requireRate(String name, double value) {
    if (!isRate(value)) {
      throw new IllegalArgumentException(name + " must be 0.0 to 1.0, got " + value);
    }
  }
}
