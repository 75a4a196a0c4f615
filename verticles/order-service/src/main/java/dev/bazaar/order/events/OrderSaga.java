package dev.bazaar.order.events;

import dev.bazaar.order.domain.CancellationReason;
import dev.bazaar.order.domain.OrderStatus;
import dev.bazaar.order.metrics.OrderMetrics;
import dev.bazaar.order.store.OrderStore;
import dev.bazaar.platform.events.OrderConfirmed;
import dev.bazaar.platform.events.PaymentFailed;
import dev.bazaar.platform.events.PaymentRefunded;
import dev.bazaar.platform.events.PaymentSucceeded;
import dev.bazaar.platform.events.Received;
import dev.bazaar.platform.events.StockRejected;
import dev.bazaar.platform.events.StockReleased;
import dev.bazaar.platform.events.StockReserved;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
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
      .on(StockRejected.class, (tx, event) -> cancelPending(tx, event, CancellationReason.OUT_OF_STOCK, metrics))
      .on(PaymentSucceeded.class, (tx, event) -> onPaymentSucceeded(tx, event, metrics))
      .on(PaymentFailed.class, (tx, event) -> cancelPending(tx, event, CancellationReason.PAYMENT_FAILED, metrics))
      .ignore(StockReserved.class, StockReleased.class, PaymentRefunded.class)
      .build();
  }

  /**
   * {@code PaymentSucceeded}: PENDING → CONFIRMED → {@code OrderConfirmed}. If the order was cancelled
   * meanwhile (its deadline expired while it was being paid, or its user cancelled it), it stays
   * CANCELLED and {@code OrderCancelled} ({@code payment_after_cancel}) goes out again, so that
   * payment-service refunds the charge it has just made.
   */
  static Future<Void> onPaymentSucceeded(SqlConnection tx, Received<PaymentSucceeded> event, OrderMetrics metrics) {
    return withLockedOrder(tx, event, order -> switch (order.status()) {
      case PENDING -> OrderStore.transition(tx, order.id(), OrderStatus.CONFIRMED, null)
        .compose(moved -> moved
          ? Outbox.append(tx, order.id(), new OrderConfirmed(order.userId(), order.totalCents(), order.currency()))
            .onSuccess(v -> metrics.confirmed(tx))
          : Future.succeededFuture());
      case CANCELLED -> {
        LOG.info("order {}: paid after it was cancelled; announcing the cancellation again for a refund", order.id());
        metrics.paidAfterCancel(tx);
        yield Outbox.append(tx, order.id(),
          OrderEvents.orderCancelled(order.userId(), CancellationReason.PAYMENT_AFTER_CANCEL, OrderStatus.CANCELLED));
      }
      case CONFIRMED -> Future.succeededFuture(); // another report of the same charge
    });
  }

  /**
   * {@code StockRejected} ({@code out_of_stock}), {@code PaymentFailed} ({@code payment_failed}):
   * PENDING → CANCELLED → {@code OrderCancelled} (after a payment failure, inventory releases).
   */
  private static Future<Void> cancelPending(SqlConnection tx, Received<?> event, CancellationReason reason,
                                            OrderMetrics metrics) {
    return withLockedOrder(tx, event, order -> order.status() != OrderStatus.PENDING
      ? Future.succeededFuture() // settled already: a stale or late outcome changes nothing
      : OrderStore.transition(tx, order.id(), OrderStatus.CANCELLED, reason.code())
        .compose(moved -> moved
          ? Outbox.append(tx, order.id(), OrderEvents.orderCancelled(order.userId(), reason, OrderStatus.PENDING))
            .onSuccess(v -> metrics.cancelled(tx, reason))
          : Future.succeededFuture()));
  }

  private static Future<Void> withLockedOrder(SqlConnection tx, Received<?> event,
                                              Function<OrderStore.Locked, Future<Void>> effect) {
    return OrderStore.lock(tx, event.orderId()).compose((Optional<OrderStore.Locked> found) -> {
      if (found.isEmpty()) {
        // not one of ours (or from another environment): nothing to settle
        LOG.warn("{} {} is about order {}, which does not exist; ignored", event.event().getClass().getSimpleName(),
          event.eventId(), event.orderId());
        return Future.succeededFuture();
      }
      return effect.apply(found.get());
    });
  }
}
