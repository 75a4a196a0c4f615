package dev.bazaar.order.events;

import dev.bazaar.order.domain.CancellationReason;
import dev.bazaar.order.domain.OrderStatus;
import dev.bazaar.order.metrics.OrderMetrics;
import dev.bazaar.order.store.OrderStore;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.Outbox;
import dev.bazaar.platform.messaging.PoisonEventException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * order-service's part of the choreographed saga (docs/EVENTS.md, "Who reacts to what"): the
 * outcomes of inventory and payment settle the order. Each handler runs inside the consumer's
 * transaction (which also records the event id, so a redelivery changes nothing), locks the order
 * row, moves it only where the state machine allows, and appends the event announcing the move in
 * that same transaction — only when the move happened. A stale event (a PaymentFailed after the
 * order was confirmed, a StockRejected after it was cancelled) changes nothing. A move is counted in
 * {@link OrderMetrics} once its transaction commits.
 */
public final class OrderSaga {
  private static final Logger LOG = LoggerFactory.getLogger(OrderSaga.class);

  private OrderSaga() {
  }

  /** The consumer of {@code inventory-events} and {@code payment-events}, in the group of {@code kafka}. */
  public static IdempotentConsumer consumer(Vertx vertx, Pool pool, KafkaSettings kafka, OrderMetrics metrics) {
    return IdempotentConsumer.builder(vertx, pool, kafka)
      .topics(OrderEvents.INVENTORY_EVENTS, OrderEvents.PAYMENT_EVENTS)
      .on(OrderEvents.STOCK_REJECTED, (tx, event) -> onStockRejected(tx, event, metrics))
      .on(OrderEvents.PAYMENT_SUCCEEDED, (tx, event) -> onPaymentSucceeded(tx, event, metrics))
      .on(OrderEvents.PAYMENT_FAILED, (tx, event) -> onPaymentFailed(tx, event, metrics))
      .ignore(OrderEvents.STOCK_RESERVED, OrderEvents.STOCK_RELEASED, OrderEvents.PAYMENT_REFUNDED)
      .build();
  }

  /** {@code StockRejected}: PENDING → CANCELLED ({@code out_of_stock}) → {@code OrderCancelled}. */
  static Future<Void> onStockRejected(SqlConnection tx, EventEnvelope event, OrderMetrics metrics) {
    return cancelPending(tx, event, CancellationReason.OUT_OF_STOCK, metrics);
  }

  /** {@code PaymentFailed}: PENDING → CANCELLED ({@code payment_failed}) → {@code OrderCancelled}; inventory releases. */
  static Future<Void> onPaymentFailed(SqlConnection tx, EventEnvelope event, OrderMetrics metrics) {
    return cancelPending(tx, event, CancellationReason.PAYMENT_FAILED, metrics);
  }

  /**
   * {@code PaymentSucceeded}: PENDING → CONFIRMED → {@code OrderConfirmed}. If the order was cancelled
   * meanwhile (its deadline expired while it was being paid, or its user cancelled it), it stays
   * CANCELLED and {@code OrderCancelled} ({@code payment_after_cancel}) goes out again, so that
   * payment-service refunds the charge it has just made.
   */
  static Future<Void> onPaymentSucceeded(SqlConnection tx, EventEnvelope event, OrderMetrics metrics) {
    return withLockedOrder(tx, event, order -> switch (order.status()) {
      case PENDING -> OrderStore.transition(tx, order.id(), OrderStatus.CONFIRMED, null)
        .compose(moved -> moved
          ? Outbox.append(tx, OrderEvents.ORDER_EVENTS,
              OrderEvents.orderConfirmed(order.id(), order.userId(), order.totalCents(), order.currency()), null)
            .onSuccess(v -> metrics.confirmed(tx))
          : Future.succeededFuture());
      case CANCELLED -> {
        LOG.info("order {}: paid after it was cancelled; announcing the cancellation again for a refund", order.id());
        metrics.paidAfterCancel(tx);
        yield Outbox.append(tx, OrderEvents.ORDER_EVENTS, OrderEvents.orderCancelled(order.id(), order.userId(),
          CancellationReason.PAYMENT_AFTER_CANCEL, OrderStatus.CANCELLED), null);
      }
      case CONFIRMED -> Future.succeededFuture(); // another report of the same charge
    });
  }

  private static Future<Void> cancelPending(SqlConnection tx, EventEnvelope event, CancellationReason reason,
                                            OrderMetrics metrics) {
    return withLockedOrder(tx, event, order -> order.status() != OrderStatus.PENDING
      ? Future.succeededFuture() // settled already: a stale or late outcome changes nothing
      : OrderStore.transition(tx, order.id(), OrderStatus.CANCELLED, reason.code())
        .compose(moved -> moved
          ? Outbox.append(tx, OrderEvents.ORDER_EVENTS,
              OrderEvents.orderCancelled(order.id(), order.userId(), reason, OrderStatus.PENDING), null)
            .onSuccess(v -> metrics.cancelled(tx, reason))
          : Future.succeededFuture()));
  }

  private static Future<Void> withLockedOrder(SqlConnection tx, EventEnvelope event,
                                              Function<OrderStore.Locked, Future<Void>> effect) {
    UUID orderId = orderId(event);
    return OrderStore.lock(tx, orderId).compose((Optional<OrderStore.Locked> found) -> {
      if (found.isEmpty()) {
        // not one of ours (or from another environment): nothing to settle
        LOG.warn("{} {} is about order {}, which does not exist; ignored", event.type(), event.eventId(), orderId);
        return Future.succeededFuture();
      }
      return effect.apply(found.get());
    });
  }

  private static UUID orderId(EventEnvelope event) {
    try {
      UUID id = UUID.fromString(event.orderId());
      if (!id.toString().equalsIgnoreCase(event.orderId())) {
        throw new IllegalArgumentException("not canonical");
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw new PoisonEventException("orderId is not an order id (UUID)");
    }
  }
}
