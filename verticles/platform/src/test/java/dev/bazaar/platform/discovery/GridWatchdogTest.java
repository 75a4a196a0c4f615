package dev.bazaar.platform.discovery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GridWatchdogTest {
  private static final long WEDGE = 15_000;

  @Test
  void strayPartitionsCountFromTheirFirstSightingAndAnAgreeingTableResetsTheClock() {
    GridWatchdog.Observation seen = new GridWatchdog.Observation(0, true, -1)
      .next(3, true, 1000)
      .next(5, true, 3000);
    assertThat(seen.straySince()).isEqualTo(1000);
    assertThat(seen.strayForMs(9000)).isEqualTo(8000);
    GridWatchdog.Observation repaired = seen.next(0, true, 10_000);
    assertThat(repaired.strayForMs(20_000)).isZero();
    assertThat(repaired.wedged(100_000, WEDGE)).isFalse();
  }

  @Test
  void theMasterCountsAsWedgedFirstAndAnyOtherMemberAfterTwiceAsLong() {
    GridWatchdog.Observation master = new GridWatchdog.Observation(0, true, -1).next(1, true, 0);
    GridWatchdog.Observation member = new GridWatchdog.Observation(0, false, -1).next(1, false, 0);
    assertThat(master.wedged(WEDGE - 1, WEDGE)).isFalse();
    assertThat(master.wedged(WEDGE, WEDGE)).isTrue();
    assertThat(member.wedged(WEDGE, WEDGE)).isFalse();
    assertThat(member.wedged(2 * WEDGE, WEDGE)).isTrue();
  }
}
