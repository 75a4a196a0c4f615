package dev.bazaar.platform.events;

import java.util.UUID;

/** The provider charged the order. */
public record PaymentSucceeded(UUID userId, UUID paymentId, long amountCents, String currency) implements PaymentEvent {
  public PaymentSucceeded {
    Fields.money(userId, paymentId, amountCents, currency);
  }
}
