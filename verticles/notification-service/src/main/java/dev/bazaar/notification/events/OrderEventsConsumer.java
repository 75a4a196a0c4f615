package dev.bazaar.notification.events;

import dev.bazaar.notification.domain.Ids;
import dev.bazaar.notification.domain.NewNotification;
import dev.bazaar.notification.domain.OrderMessages;
import dev.bazaar.notification.store.NotificationStore;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.PoisonEventException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;
import java.util.regex.Pattern;

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
  public static final String ORDER_EVENTS = "order-events";
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  private final NotificationStore notifications;
  private final NotificationPush push;

  public OrderEventsConsumer(NotificationStore notifications, NotificationPush push) {
    this.notifications = notifications;
    this.push = push;
  }

  public IdempotentConsumer build(Vertx vertx, Pool pool, KafkaSettings kafka) {
    return IdempotentConsumer.builder(vertx, pool, kafka)
      .topics(ORDER_EVENTS)
      .on("OrderConfirmed", this::orderConfirmed)
      .on("OrderCancelled", this::orderCancelled)
      .ignore("OrderCreated")
      .build();
  }

  Future<Void> orderConfirmed(SqlConnection tx, EventEnvelope event) {
    UUID orderId = uuid(event.orderId(), "orderId");
    JsonObject payload = event.payload();
    UUID userId = uuid(payload.getValue("userId"), "payload.userId");
    if (!(payload.getValue("totalCents") instanceof Number total) || total instanceof Double || total instanceof Float
      || total.longValue() < 0) {
      throw new PoisonEventException("payload.totalCents must be a whole number >= 0");
    }
    if (!(payload.getValue("currency") instanceof String currency) || !CURRENCY.matcher(currency).matches()) {
      throw new PoisonEventException("payload.currency must be an ISO 4217 code");
    }
    return store(tx, userId, orderId, OrderMessages.ORDER_CONFIRMED,
      OrderMessages.confirmed(orderId, total.longValue(), currency));
  }

  Future<Void> orderCancelled(SqlConnection tx, EventEnvelope event) {
    UUID orderId = uuid(event.orderId(), "orderId");
    UUID userId = uuid(event.payload().getValue("userId"), "payload.userId");
    Object reason = event.payload().getValue("reason");
    return store(tx, userId, orderId, OrderMessages.ORDER_CANCELLED,
      OrderMessages.cancelled(orderId, reason instanceof String text ? text : null));
  }

  private Future<Void> store(SqlConnection tx, UUID userId, UUID orderId, String kind, String text) {
    return notifications.insertOncePerOrder(tx, new NewNotification(userId, orderId, kind, text))
      .map(stored -> {
        stored.ifPresent(notification -> push.afterCommit(tx, notification));
        return null;
      });
  }

  private static UUID uuid(Object raw, String field) {
    return Ids.uuid(raw).orElseThrow(() -> new PoisonEventException(field + " must be a UUID"));
  }
}
