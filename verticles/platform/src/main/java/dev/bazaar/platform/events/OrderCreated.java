package dev.bazaar.platform.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The order was stored PENDING. {@code sealedPaymentToken} is opaque to all but payment-service;
 * {@code deadline} may be absent (payment-service then uses its default).
 */
public record OrderCreated(UUID userId, List<Item> items, long totalCents, String currency, String sealedPaymentToken,
                           Instant deadline) implements OrderEvent {
  public OrderCreated {
    Fields.required(userId, "userId");
    items = Fields.list(items, "items");
    Fields.cents(totalCents, "totalCents");
    Fields.currency(currency);
    Fields.text(sealedPaymentToken, "sealedPaymentToken");
  }

  /** One line of the order. */
  public record Item(UUID productId, int quantity, long unitPriceCents) {
    public Item {
      Fields.required(productId, "items[].productId");
      Fields.cents(unitPriceCents, "items[].unitPriceCents");
    }
  }
}
