package dev.bazaar.inventory.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ReservationRequestTest {
  private static final UUID ORDER = UUID.randomUUID();
  // signed-long UUID order puts 8... before 1...; PostgreSQL's (and the text's) order does not
  private static final UUID LOW = UUID.fromString("10000000-0000-0000-0000-000000000000");
  private static final UUID HIGH = UUID.fromString("80000000-0000-0000-0000-000000000000");

  @Test
  void linesAreSortedInPostgresUuidOrder() {
    assertThat(HIGH.compareTo(LOW)).isNegative();
    ReservationRequest request = new ReservationRequest(ORDER, List.of(new ReservationLine(HIGH, 1), new ReservationLine(LOW, 2)));
    assertThat(request.lines()).containsExactly(new ReservationLine(LOW, 2), new ReservationLine(HIGH, 1));
  }

  @Test
  void linesOfOneProductAreAddedUp() {
    ReservationRequest request = new ReservationRequest(ORDER,
      List.of(new ReservationLine(LOW, 2), new ReservationLine(HIGH, 1), new ReservationLine(LOW, 3)));
    assertThat(request.orderId()).isEqualTo(ORDER);
    assertThat(request.lines()).containsExactly(new ReservationLine(LOW, 5), new ReservationLine(HIGH, 1));
  }
}
