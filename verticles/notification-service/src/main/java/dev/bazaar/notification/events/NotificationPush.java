package dev.bazaar.notification.events;

import dev.bazaar.notification.domain.Notification;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;

/**
 * Announces every stored notification on the clustered event bus, at {@value #ADDRESS}, once the
 * row is committed (never one that could still roll back): {@code {userId, id, orderId?, kind,
 * text, createdAt}}. The gateway's event-bus bridge pushes it to the user's live clients. A
 * publish reaches whoever listens now; a client that was not connected reads its notifications
 * over HTTP, where they are stored.
 */
public final class NotificationPush {
  public static final String ADDRESS = "notification-service.created";

  private final EventBus bus;

  public NotificationPush(EventBus bus) {
    this.bus = bus;
  }

  /** Announces {@code notification} when {@code tx} commits, or at once when it runs outside a transaction. */
  public void afterCommit(SqlConnection tx, Notification notification) {
    Transaction transaction = tx.transaction();
    if (transaction == null) {
      announce(notification);
    } else {
      transaction.completion().onSuccess(v -> announce(notification));
    }
  }

  /** Announces a notification already committed. */
  public void announce(Notification notification) {
    JsonObject json = new JsonObject()
      .put("userId", notification.userId().toString())
      .put("id", notification.id().toString());
    if (notification.orderId() != null) {
      json.put("orderId", notification.orderId().toString());
    }
    bus.publish(ADDRESS, json
      .put("kind", notification.kind())
      .put("text", notification.text())
      .put("createdAt", notification.createdAt().toString()));
  }
}
