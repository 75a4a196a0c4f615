package dev.bazaar.payment.domain;

import org.junit.jupiter.api.Test;

import static dev.bazaar.payment.domain.PaymentStatus.FAILED;
import static dev.bazaar.payment.domain.PaymentStatus.PENDING;
import static dev.bazaar.payment.domain.PaymentStatus.REFUNDED;
import static dev.bazaar.payment.domain.PaymentStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

class PaymentStatusTest {

  @Test
  void aPaymentSettlesOnceAndOnlyASuccessIsRefunded() {
    for (PaymentStatus from : PaymentStatus.values()) {
      for (PaymentStatus to : PaymentStatus.values()) {
        boolean allowed = (from == PENDING && (to == SUCCEEDED || to == FAILED)) || (from == SUCCEEDED && to == REFUNDED);
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(allowed);
      }
    }
  }

  @Test
  void theSqlGuardListsExactlyTheAllowedSources() {
    assertThat(PaymentStatus.sourcesOf(SUCCEEDED)).containsExactly(PENDING);
    assertThat(PaymentStatus.sourcesOf(FAILED)).containsExactly(PENDING);
    assertThat(PaymentStatus.sourcesOf(REFUNDED)).containsExactly(SUCCEEDED);
    assertThat(PaymentStatus.sourcesOf(PENDING)).isEmpty();
  }
}
