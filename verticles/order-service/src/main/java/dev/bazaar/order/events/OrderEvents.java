package dev.bazaar.order.events;

import dev.bazaar.order.domain.CancellationReason;
import dev.bazaar.order.domain.NewOrder;
import dev.bazaar.order.domain.OrderStatus;
import dev.bazaar.platform.events.OrderCancelled;
import dev.bazaar.platform.events.OrderCreated;

import java.time.Instant;
import java.util.UUID;

/** The events order-service publishes on {@code order-events} (docs/EVENTS.md), made from its domain. */
public final class OrderEvents {
  private OrderEvents() {
  }

  /** {@code OrderCreated}: the lines, the total, the sealed token (only payment-service can open it), the deadline. */
  public static OrderCreated orderCreated(NewOrder order, Instant deadline) {
    return new OrderCreated(order.userId(),
      order.lines().stream().map(line -> new OrderCreated.Item(line.productId(), line.quantity(), line.unitPriceCents())).toList(),
      order.totalCents(), order.currency(), order.sealedPaymentToken(), deadline);
  }

  /** {@code OrderCancelled}: who, why (the reason's code), and from which status. */
  public static OrderCancelled orderCancelled(UUID userId, CancellationReason reason, OrderStatus previousStatus) {
    return new OrderCancelled(userId, reason.code(), previousStatus.name());
  }
}
