package dev.bazaar.platform.events;

import java.util.List;
import java.util.UUID;

/** Every line of the order is held; the sealed token is forwarded as it came in {@link OrderCreated}. */
public record StockReserved(UUID userId, long totalCents, String currency, String sealedPaymentToken, List<Line> lines)
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
