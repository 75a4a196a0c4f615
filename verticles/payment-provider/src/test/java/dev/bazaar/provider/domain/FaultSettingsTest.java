package dev.bazaar.provider.domain;

import org.junit.jupiter.api.Test;

import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultSettingsTest {

  /** A random source that returns the given doubles and, for bounded longs, the given longs. */
  private static RandomGenerator fixed(double nextDouble, long nextLong) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return nextDouble;
      }

      @Override
      public long nextLong(long bound) {
        assertThat(nextLong).isLessThan(bound);
        return nextLong;
      }
    };
  }

  private static FaultSettings settings(long latency, long jitter, double errorRate, double timeoutRate, boolean outage) {
    return new FaultSettings(latency, jitter, errorRate, timeoutRate, 30_000, outage, 5);
  }

  @Test
  void noFaultsPassWithoutDelay() {
    assertThat(FaultSettings.NONE.decide(fixed(0.0, 0))).isEqualTo(new FaultDecision(FaultDecision.Kind.PASS, 0));
    assertThat(FaultSettings.NONE.decide(fixed(0.999, 0))).isEqualTo(new FaultDecision(FaultDecision.Kind.PASS, 0));
  }

  @Test
  void latencyPlusJitterWithinBounds() {
    FaultSettings slow = settings(200, 50, 0, 0, false);
    assertThat(slow.decide(fixed(0.5, 0)).delayMs()).isEqualTo(200);
    assertThat(slow.decide(fixed(0.5, 50)).delayMs()).isEqualTo(250);
    assertThat(settings(200, 0, 0, 0, false).decide(fixed(0.5, 0)).delayMs()).isEqualTo(200);
  }

  @Test
  void ratesSplitTheUnitInterval() {
    FaultSettings faults = settings(10, 0, 0.25, 0.5, false);
    assertThat(faults.decide(fixed(0.0, 0)).kind()).isEqualTo(FaultDecision.Kind.ERROR);
    assertThat(faults.decide(fixed(0.2499, 0)).kind()).isEqualTo(FaultDecision.Kind.ERROR);
    assertThat(faults.decide(fixed(0.25, 0)).kind()).isEqualTo(FaultDecision.Kind.TIMEOUT);
    assertThat(faults.decide(fixed(0.7499, 0)).kind()).isEqualTo(FaultDecision.Kind.TIMEOUT);
    assertThat(faults.decide(fixed(0.75, 0)).kind()).isEqualTo(FaultDecision.Kind.PASS);
    // the latency applies before an injected error as well
    assertThat(faults.decide(fixed(0.0, 0)).delayMs()).isEqualTo(10);
  }

  @Test
  void rateOneAlwaysAndRateZeroNever() {
    RandomGenerator largest = fixed(Math.nextDown(1.0), 0);
    assertThat(settings(0, 0, 1.0, 0, false).decide(largest).kind()).isEqualTo(FaultDecision.Kind.ERROR);
    assertThat(settings(0, 0, 0, 1.0, false).decide(largest).kind()).isEqualTo(FaultDecision.Kind.TIMEOUT);
    assertThat(settings(0, 0, 0, 0, false).decide(fixed(0.0, 0)).kind()).isEqualTo(FaultDecision.Kind.PASS);
  }

  @Test
  void outageWinsAndAnswersAtOnce() {
    FaultDecision decision = settings(5_000, 100, 0, 0, true).decide(fixed(0.9, 7));
    assertThat(decision).isEqualTo(new FaultDecision(FaultDecision.Kind.OUTAGE, 0));
  }

  @Test
  void outOfRangeSettingsAreRefused() {
    assertThatThrownBy(() -> settings(-1, 0, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings(60_001, 0, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings(0, -1, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings(0, 0, 1.01, 0, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings(0, 0, Double.NaN, 0, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings(0, 0, 0.6, 0.5, false)).hasMessageContaining("at most 1");
    assertThatThrownBy(() -> new FaultSettings(0, 0, 0, 0, 99, false, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FaultSettings(0, 0, 0, 0, 30_000, false, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(settings(0, 0, 0.7, 0.3, false).errorRate()).isEqualTo(0.7);
  }
}
