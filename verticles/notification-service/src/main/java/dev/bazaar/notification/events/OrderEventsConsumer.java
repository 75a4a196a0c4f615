package dev.bazaar.notification.events;

import dev.bazaar.notification.domain.NewNotification;
import dev.bazaar.notification.domain.OrderMessages;
import dev.bazaar.notification.store.NotificationStore;
import dev.bazaar.platform.events.OrderCancelled;
import dev.bazaar.platform.events.OrderConfirmed;
import dev.bazaar.platform.events.OrderCreated;
import dev.bazaar.platform.events.Received;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.PoisonEventException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;

/**
 * notification-service's part of the order saga: consumes {@code order-events} (group
 * {@code kafka.consumerGroup}) through an {@link IdempotentConsumer}, storing the notification in
 * the transaction that marks the event processed, so a redelivered event notifies once:
 * <ul>
 *   <li>{@code OrderConfirmed} {userId, totalCents, currency} → {@code ORDER_CONFIRMED};</li>
 *   <li>{@code OrderCancelled} {userId, reason, previousStatus} → {@code ORDER_CANCELLED}, the reason in words;</li>
 *   <li>{@code OrderCreated} is ignored.</li>
 * </ul>
 * One notification of a kind per order: a second {@code OrderCancelled} of an order (order-service
 * re-announces a cancellation so that a late payment is refunded) stores nothing more. A payload
 * that breaks the contract (user or order id not a UUID…) is dead-lettered. A stored notification
 * is pushed live once its transaction commits ({@link NotificationPush}).
 */
public final class OrderEventsConsumer {
  private final NotificationStore notifications;
  private final NotificationPush push;

  public OrderEventsConsumer(NotificationStore notifications, NotificationPush push) {
    this.notifications = notifications;
    this.push = push;
  }

  public IdempotentConsumer build(Vertx vertx, Pool pool, KafkaSettings kafka) {
    return IdempotentConsumer.builder(vertx, pool, kafka)
      .on(OrderConfirmed.class, this::orderConfirmed)
      .on(OrderCancelled.class, this::orderCancelled)
      .ignore(OrderCreated.class)
      .build();
  }

  Future<Void> orderConfirmed(SqlConnection tx, Received<OrderConfirmed> event) {
    OrderConfirmed confirmed = event.event();
    return store(tx, confirmed.userId(), event.orderId(), OrderMessages.ORDER_CONFIRMED,
      OrderMessages.confirmed(event.orderId(), confirmed.totalCents(), confirmed.currency()));
  }

  Future<Void> orderCancelled(SqlConnection tx, Received<OrderCancelled> event) {
    OrderCancelled cancelled = event.event();
    if (cancelled.userId() == null) {
      throw new PoisonEventException("OrderCancelled: userId is missing (nobody to tell)");
    }
    return store(tx, cancelled.userId(), event.orderId(), OrderMessages.ORDER_CANCELLED,
      OrderMessages.cancelled(event.orderId(), cancelled.reason()));
  }

  private Future<Void> store(SqlConnection tx, UUID userId, UUID orderId, String kind, String text) {
    return notifications.insertOncePerOrder(tx, new NewNotification(userId, orderId, kind, text))
      .map(stored -> {
        stored.ifPresent(notification -> push.afterCommit(tx, notification));
        return null;
      });
  }
}
