package dev.bazaar.notification.domain;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OrderMessagesTest {
  private static final UUID ORDER = UUID.fromString("1a2b3c4d-0000-4000-8000-000000000000");

  @Test
  void aConfirmationNamesTheOrderAndItsTotalInTheCurrencysUnits() {
    assertThat(OrderMessages.confirmed(ORDER, 1234, "EUR")).isEqualTo("Your order 1a2b3c4d is confirmed: 12.34 EUR.");
    assertThat(OrderMessages.confirmed(ORDER, 5, "USD")).isEqualTo("Your order 1a2b3c4d is confirmed: 0.05 USD.");
    assertThat(OrderMessages.confirmed(ORDER, 1234, "JPY")).isEqualTo("Your order 1a2b3c4d is confirmed: 1234 JPY.");
    assertThat(OrderMessages.confirmed(ORDER, 1234, "XYZ")).isEqualTo("Your order 1a2b3c4d is confirmed: 12.34 XYZ.");
  }

  @Test
  void aCancellationGivesItsReasonInWords() {
    assertThat(OrderMessages.cancelled(ORDER, "out_of_stock")).isEqualTo("Your order 1a2b3c4d was cancelled: an item is out of stock.");
    assertThat(OrderMessages.cancelled(ORDER, "payment_failed")).endsWith("the payment did not go through.");
    assertThat(OrderMessages.cancelled(ORDER, "deadline_expired")).endsWith("it could not be completed in time.");
    assertThat(OrderMessages.cancelled(ORDER, "cancelled_by_user")).endsWith("you cancelled it.");
    assertThat(OrderMessages.cancelled(ORDER, "payment_after_cancel")).endsWith("will be refunded.");
    assertThat(OrderMessages.cancelled(ORDER, "fraud_suspected")).endsWith("fraud suspected.");
    assertThat(OrderMessages.cancelled(ORDER, null)).endsWith("no reason was given.");
    assertThat(OrderMessages.cancelled(ORDER, "x".repeat(5000)).length()).isLessThan(NewNotification.MAX_TEXT);
  }
}
