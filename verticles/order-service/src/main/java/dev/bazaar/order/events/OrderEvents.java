package dev.bazaar.order.events;

import dev.bazaar.order.domain.CancellationReason;
import dev.bazaar.order.domain.NewOrder;
import dev.bazaar.order.domain.OrderLine;
import dev.bazaar.order.domain.OrderStatus;
import dev.bazaar.platform.messaging.EventEnvelope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * The saga's topics and event types (docs/EVENTS.md), and the events order-service publishes on
 * {@value #ORDER_EVENTS}, keyed by order id.
 */
public final class OrderEvents {
  public static final String ORDER_EVENTS = "order-events";
  public static final String INVENTORY_EVENTS = "inventory-events";
  public static final String PAYMENT_EVENTS = "payment-events";

  public static final String ORDER_CREATED = "OrderCreated";
  public static final String ORDER_CONFIRMED = "OrderConfirmed";
  public static final String ORDER_CANCELLED = "OrderCancelled";

  public static final String STOCK_RESERVED = "StockReserved";
  public static final String STOCK_REJECTED = "StockRejected";
  public static final String STOCK_RELEASED = "StockReleased";
  public static final String PAYMENT_SUCCEEDED = "PaymentSucceeded";
  public static final String PAYMENT_FAILED = "PaymentFailed";
  public static final String PAYMENT_REFUNDED = "PaymentRefunded";

  private OrderEvents() {
  }

  /**
   * {@code OrderCreated}: userId, items[{productId, quantity, unitPriceCents}], totalCents, currency,
   * sealedPaymentToken (only payment-service can open it), deadline.
   */
  public static EventEnvelope orderCreated(NewOrder order, Instant deadline) {
    JsonArray items = new JsonArray();
    for (OrderLine line : order.lines()) {
      items.add(new JsonObject()
        .put("productId", line.productId().toString())
        .put("quantity", line.quantity())
        .put("unitPriceCents", line.unitPriceCents()));
    }
    return EventEnvelope.create(ORDER_CREATED, order.id().toString(), new JsonObject()
      .put("userId", order.userId().toString())
      .put("items", items)
      .put("totalCents", order.totalCents())
      .put("currency", order.currency())
      .put("sealedPaymentToken", order.sealedPaymentToken())
      .put("deadline", deadline.toString()));
  }

  /** {@code OrderConfirmed}: userId, totalCents, currency. */
  public static EventEnvelope orderConfirmed(UUID orderId, UUID userId, long totalCents, String currency) {
    return EventEnvelope.create(ORDER_CONFIRMED, orderId.toString(), new JsonObject()
      .put("userId", userId.toString())
      .put("totalCents", totalCents)
      .put("currency", currency));
  }

  /** {@code OrderCancelled}: userId, reason, previousStatus. */
  public static EventEnvelope orderCancelled(UUID orderId, UUID userId, CancellationReason reason, OrderStatus previousStatus) {
    return EventEnvelope.create(ORDER_CANCELLED, orderId.toString(), new JsonObject()
      .put("userId", userId.toString())
      .put("reason", reason.code())
      .put("previousStatus", previousStatus.name()));
  }
}
