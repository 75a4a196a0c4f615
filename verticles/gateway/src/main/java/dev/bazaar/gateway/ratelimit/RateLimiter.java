package dev.bazaar.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Per-client token buckets: per user id when the caller is authenticated, per client IP when not.
 * A small hand-written bucket rather than Bucket4j or Resilience4j: the whole algorithm is the
 * 30 lines of {@link TokenBucket}, unit-tested, and Resilience4j's RateLimiter models one shared
 * fixed-cycle limiter rather than a bucket per key. Buckets are kept in a bounded Caffeine cache
 * (idle ones expire), so a flood of distinct clients cannot grow memory without bound. One per
 * gateway JVM, shared by its event loops; limits are per gateway instance. Rejections are counted
 * in {@code bazaar_gateway_rate_limited_total{scope="user"|"ip"}}.
 */
public final class RateLimiter {
  private final boolean enabled;
  private final int userCapacity;
  private final double userRefill;
  private final int anonymousCapacity;
  private final double anonymousRefill;
  private final Cache<String, TokenBucket> buckets;
  private final LongSupplier clock;
  private final Counter userRejections;
  private final Counter ipRejections;

  public RateLimiter(boolean enabled, int userCapacity, double userRefill, int anonymousCapacity, double anonymousRefill,
                     int maxTrackedClients, LongSupplier clock) {
    this(enabled, userCapacity, userRefill, anonymousCapacity, anonymousRefill, maxTrackedClients, clock, Metrics.registry());
  }

  public RateLimiter(boolean enabled, int userCapacity, double userRefill, int anonymousCapacity, double anonymousRefill,
                     int maxTrackedClients, LongSupplier clock, MeterRegistry registry) {
    this.enabled = enabled;
    this.userCapacity = userCapacity;
    this.userRefill = userRefill;
    this.anonymousCapacity = anonymousCapacity;
    this.anonymousRefill = anonymousRefill;
    this.clock = clock;
    this.buckets = Caffeine.newBuilder().maximumSize(maxTrackedClients).expireAfterAccess(Duration.ofMinutes(10)).build();
    this.userRejections = rejections(registry, "user");
    this.ipRejections = rejections(registry, "ip");
  }

  private static Counter rejections(MeterRegistry registry, String scope) {
    return Counter.builder("bazaar.gateway.rate.limited").description("Requests refused with 429, by bucket: per user or per client IP")
      .tag("scope", scope).register(registry);
  }

  public static RateLimiter from(ConfigReader config) {
    return new RateLimiter(
      config.bool("enabled", true),
      config.integer("userCapacity", 200, 1, 1_000_000),
      config.integer("userRefillPerSecond", 100, 1, 1_000_000),
      config.integer("anonymousCapacity", 100, 1, 1_000_000),
      config.integer("anonymousRefillPerSecond", 50, 1, 1_000_000),
      config.integer("maxTrackedClients", 100_000, 100, 10_000_000),
      System::nanoTime);
  }

  public boolean enabled() {
    return enabled;
  }

  /** Takes a token for a user ({@code userId} non-null) or an anonymous client IP. */
  public TokenBucket.Decision take(String userId, String clientIp) {
    boolean user = userId != null;
    String key = user ? "u:" + userId : "ip:" + clientIp;
    long now = clock.getAsLong();
    TokenBucket bucket = buckets.get(key, k -> user
      ? new TokenBucket(userCapacity, userRefill, now)
      : new TokenBucket(anonymousCapacity, anonymousRefill, now));
    TokenBucket.Decision decision;
    synchronized (bucket) {
      decision = bucket.tryTake(now);
    }
    if (!decision.allowed()) {
      (user ? userRejections : ipRejections).increment();
    }
    return decision;
  }
}
