package dev.bazaar.platform.events;

import java.util.UUID;

/** Some line is short ({@code shortProductId}); nothing was reserved. */
public record StockRejected(UUID userId, UUID shortProductId) implements InventoryEvent {
  public StockRejected {
    Fields.required(userId, "userId");
    Fields.required(shortProductId, "shortProductId");
  }
}
