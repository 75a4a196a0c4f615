package dev.bazaar.platform.events;

import java.util.UUID;

/** A charged order was cancelled: the charge was refunded. */
public record PaymentRefunded(UUID userId, UUID paymentId, long amountCents, String currency) implements PaymentEvent {
  public PaymentRefunded {
    Fields.money(userId, paymentId, amountCents, currency);
  }
}
