package dev.bazaar.platform.events;

import java.util.UUID;

/** The reservation went back to stock (compensation); {@code userId} is null when the cancellation lacked it. */
public record StockReleased(UUID userId) implements InventoryEvent {
}
