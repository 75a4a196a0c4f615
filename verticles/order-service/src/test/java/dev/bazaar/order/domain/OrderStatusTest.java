package dev.bazaar.order.domain;

import org.junit.jupiter.api.Test;

import static dev.bazaar.order.domain.OrderStatus.CANCELLED;
import static dev.bazaar.order.domain.OrderStatus.CONFIRMED;
import static dev.bazaar.order.domain.OrderStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

class OrderStatusTest {

  @Test
  void onlyTheThreeForwardTransitionsAreAllowed() {
    assertThat(PENDING.canMoveTo(CONFIRMED)).isTrue();
    assertThat(PENDING.canMoveTo(CANCELLED)).isTrue();
    assertThat(CONFIRMED.canMoveTo(CANCELLED)).isTrue();

    assertThat(PENDING.canMoveTo(PENDING)).isFalse();
    assertThat(CONFIRMED.canMoveTo(PENDING)).isFalse();
    assertThat(CONFIRMED.canMoveTo(CONFIRMED)).isFalse();
    assertThat(CANCELLED.canMoveTo(PENDING)).isFalse();
    assertThat(CANCELLED.canMoveTo(CONFIRMED)).isFalse();
    assertThat(CANCELLED.canMoveTo(CANCELLED)).isFalse();
  }

  @Test
  void theSqlGuardListsExactlyTheAllowedSources() {
    assertThat(OrderStatus.sourcesOf(CANCELLED)).containsExactlyInAnyOrder(PENDING, CONFIRMED);
    assertThat(OrderStatus.sourcesOf(CONFIRMED)).containsExactly(PENDING);
    assertThat(OrderStatus.sourcesOf(PENDING)).isEmpty();
  }

  @Test
  void parsesOnlyExactNames() {
    assertThat(OrderStatus.parse("CONFIRMED")).contains(CONFIRMED);
    assertThat(OrderStatus.parse("confirmed")).isEmpty();
    assertThat(OrderStatus.parse("SHIPPED")).isEmpty();
    assertThat(OrderStatus.parse(null)).isEmpty();
  }

  @Test
  void cancellationReasonsAreSnakeCaseCodes() {
    assertThat(CancellationReason.CANCELLED_BY_USER.code()).isEqualTo("cancelled_by_user");
  }
}
