package dev.bazaar.platform.resilience;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(5, 100, 1000, 3000);

  @Test
  void ceilingDoublesFromTheBaseUpToTheCap() {
    assertThat(policy.ceilingMs(1)).isEqualTo(100);
    assertThat(policy.ceilingMs(2)).isEqualTo(200);
    assertThat(policy.ceilingMs(3)).isEqualTo(400);
    assertThat(policy.ceilingMs(4)).isEqualTo(800);
    assertThat(policy.ceilingMs(5)).isEqualTo(1000);
    assertThat(policy.ceilingMs(60)).isEqualTo(1000);
  }

  @Test
  void fullJitterDrawsBetweenZeroAndTheCeiling() {
    assertThat(policy.delayMs(3, bound -> 0)).isZero();
    assertThat(policy.delayMs(3, bound -> bound)).isEqualTo(400);
    for (int i = 0; i < 1000; i++) {
      assertThat(policy.delayMs(2)).isBetween(0L, 200L);
    }
  }

  @Test
  void attemptsAndBudgetAreBounded() {
    assertThat(policy.allows(5, 0, 0)).isTrue();
    assertThat(policy.allows(6, 0, 0)).isFalse();
    assertThat(policy.allows(2, 2900, 99)).isTrue();
    assertThat(policy.allows(2, 2900, 100)).isFalse();
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(0, 100, 1000, 1000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(3, 100, 50, 1000)).isInstanceOf(IllegalArgumentException.class);
  }
}
