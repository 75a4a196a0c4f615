package dev.bazaar.platform.events;

import java.util.UUID;

/** PENDING → CONFIRMED: the payment succeeded. */
public record OrderConfirmed(UUID userId, long totalCents, String currency) implements OrderEvent {
  public OrderConfirmed {
    Fields.required(userId, "userId");
    Fields.cents(totalCents, "totalCents");
    Fields.currency(currency);
  }
}
