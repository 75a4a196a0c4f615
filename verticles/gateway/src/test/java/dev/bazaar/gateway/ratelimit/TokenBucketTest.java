package dev.bazaar.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketAllowsItsBurstThenRejectsWithRetryAfter() {
    TokenBucket bucket = new TokenBucket(3, 1, 0);
    assertThat(bucket.tryTake(0).remaining()).isEqualTo(2);
    assertThat(bucket.tryTake(0).allowed()).isTrue();
    assertThat(bucket.tryTake(0).allowed()).isTrue();
    TokenBucket.Decision rejected = bucket.tryTake(0);
    assertThat(rejected.allowed()).isFalse();
    assertThat(rejected.remaining()).isZero();
    assertThat(rejected.retryAfterMillis()).isEqualTo(1000);
    assertThat(rejected.limit()).isEqualTo(3);
  }

  @Test
  void tokensRefillContinuouslyUpToCapacity() {
    TokenBucket bucket = new TokenBucket(2, 10, 0);
    bucket.tryTake(0);
    bucket.tryTake(0);
    assertThat(bucket.tryTake(0).allowed()).isFalse();
    assertThat(bucket.tryTake(SECOND / 10).allowed()).isTrue();
    assertThat(bucket.tryTake(100 * SECOND).remaining()).isEqualTo(1);
  }

  @Test
  void aClockGoingBackwardsAddsNothing() {
    TokenBucket bucket = new TokenBucket(1, 1, 10 * SECOND);
    bucket.tryTake(10 * SECOND);
    assertThat(bucket.tryTake(5 * SECOND).allowed()).isFalse();
  }

  @Test
  void theLimiterKeepsOneBucketPerUserAndPerAnonymousIp() {
    AtomicLong clock = new AtomicLong();
    RateLimiter limiter = new RateLimiter(true, 2, 1, 1, 1, 1000, clock::get);
    assertThat(limiter.take("alice", "10.0.0.1").allowed()).isTrue();
    assertThat(limiter.take("alice", "10.0.0.2").allowed()).isTrue();
    assertThat(limiter.take("alice", "10.0.0.3").allowed()).isFalse();
    assertThat(limiter.take("bob", "10.0.0.1").allowed()).isTrue();
    assertThat(limiter.take(null, "10.0.0.1").allowed()).isTrue();
    assertThat(limiter.take(null, "10.0.0.1").allowed()).isFalse();
    assertThat(limiter.take(null, "10.0.0.9").allowed()).isTrue();
    clock.addAndGet(SECOND);
    assertThat(limiter.take(null, "10.0.0.1").allowed()).isTrue();
  }
}
