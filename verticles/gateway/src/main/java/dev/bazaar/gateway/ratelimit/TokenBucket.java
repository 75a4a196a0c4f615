package dev.bazaar.gateway.ratelimit;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled continuously at
 * {@code refillPerSecond}; each request takes one. Not thread-safe on its own: {@link RateLimiter}
 * synchronises on it.
 */
public final class TokenBucket {
  private final double capacity;
  private final double refillPerNano;
  private double tokens;
  private long lastNanos;

  public TokenBucket(int capacity, double refillPerSecond, long nowNanos) {
    if (capacity < 1 || refillPerSecond <= 0) {
      throw new IllegalArgumentException("capacity and refill must be positive");
    }
    this.capacity = capacity;
    this.refillPerNano = refillPerSecond / 1e9;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /** What taking one token at {@code nowNanos} decided. */
  public record Decision(boolean allowed, int limit, int remaining, long retryAfterMillis, long resetSeconds) {
  }

  public Decision tryTake(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - lastNanos);
    tokens = Math.min(capacity, tokens + elapsed * refillPerNano);
    lastNanos = nowNanos;
    boolean allowed = tokens >= 1;
    if (allowed) {
      tokens -= 1;
    }
    long retryAfterMillis = allowed ? 0 : (long) Math.ceil((1 - tokens) / refillPerNano / 1e6);
    long resetSeconds = (long) Math.ceil((capacity - tokens) / refillPerNano / 1e9);
    return new Decision(allowed, (int) capacity, (int) Math.floor(tokens), retryAfterMillis, resetSeconds);
  }
}
