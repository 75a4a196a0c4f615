package dev.bazaar.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

  @Test
  void rejectionsAreCountedByScope() {
    MeterRegistry registry = new SimpleMeterRegistry();
    RateLimiter limiter = new RateLimiter(true, 1, 1, 1, 1, 1000, () -> 0L, registry);
    limiter.take("alice", "10.0.0.1");
    limiter.take("alice", "10.0.0.1");
    limiter.take("alice", "10.0.0.1");
    limiter.take(null, "10.0.0.1");
    limiter.take(null, "10.0.0.1");
    assertThat(rejected(registry, "user")).isEqualTo(2);
    assertThat(rejected(registry, "ip")).isEqualTo(1);
  }

  private static double rejected(MeterRegistry registry, String scope) {
    return registry.get("bazaar.gateway.rate.limited").tag("scope", scope).counter().count();
  }
}
