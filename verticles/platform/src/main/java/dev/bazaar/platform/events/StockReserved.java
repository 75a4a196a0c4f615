package dev.bazaar.platform.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every line of the order is held; the sealed token and the deadline are forwarded as they came in
 * {@link OrderCreated} (so payment-service, the only reader, needs nothing from {@code OrderCreated}).
 * {@code deadline} may be absent (an order announced before it was carried here): payment-service
 * then uses its default.
 */
public record StockReserved(UUID userId, long totalCents, String currency, String sealedPaymentToken, List<Line> lines,
                            Instant deadline)
  implements InventoryEvent {
  public StockReserved {
    Fields.required(userId, "userId");
    Fields.cents(totalCents, "totalCents");
    Fields.currency(currency);
    Fields.text(sealedPaymentToken, "sealedPaymentToken");
    lines = Fields.list(lines, "lines");
  }

  /** Units of one product held for the order. */
  public record Line(UUID productId, int quantity) {
    public Line {
      Fields.required(productId, "lines[].productId");
    }
  }
}
