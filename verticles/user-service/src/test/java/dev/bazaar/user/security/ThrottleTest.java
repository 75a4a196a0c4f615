package dev.bazaar.user.security;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottleTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final Throttle throttle = new Throttle(new Throttle.Policy(3, Duration.ofSeconds(1), Duration.ofSeconds(10)), 1000, now::get);

  @Test
  void freeAttemptsCostNothingThenDelaysDoubleUpToTheCap() {
    for (int i = 0; i < 2; i++) {
      throttle.count("a");
      assertThat(throttle.waitMillis("a")).isZero();
    }
    long[] expected = {1000, 2000, 4000, 8000, 10_000, 10_000};
    for (long delay : expected) {
      throttle.count("a");
      assertThat(throttle.waitMillis("a")).isEqualTo(delay);
    }
    advance(10_000);
    assertThat(throttle.waitMillis("a")).isZero();
  }

  @Test
  void keysAreIndependentAndForgettable() {
    for (int i = 0; i < 3; i++) {
      throttle.count("a");
    }
    assertThat(throttle.waitMillis("a")).isEqualTo(1000);
    assertThat(throttle.waitMillis("b")).isZero();
    throttle.forget("a");
    assertThat(throttle.waitMillis("a")).isZero();
  }

  private void advance(long millis) {
    now.addAndGet(Duration.ofMillis(millis).toNanos());
  }
}
