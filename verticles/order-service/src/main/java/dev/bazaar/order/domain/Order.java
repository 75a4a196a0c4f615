package dev.bazaar.order.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as stored. {@code reason} is set once it is cancelled; the payment token never leaves the service. */
public record Order(UUID id, UUID userId, OrderStatus status, List<OrderLine> lines, long totalCents, String currency,
                    String reason, Instant createdAt, Instant updatedAt) {
  public Order {
    lines = List.copyOf(lines);
  }
}
