package dev.bazaar.notification.api;

import dev.bazaar.notification.domain.Notification;
import io.vertx.core.json.JsonObject;

/** The public shape of a notification: {@code {id, orderId?, kind, text, read, createdAt}}. */
final class NotificationJson {
  private NotificationJson() {
  }

  static JsonObject of(Notification notification) {
    JsonObject json = new JsonObject().put("id", notification.id().toString());
    if (notification.orderId() != null) {
      json.put("orderId", notification.orderId().toString());
    }
    return json
      .put("kind", notification.kind())
      .put("text", notification.text())
      .put("read", notification.read())
      .put("createdAt", notification.createdAt().toString());
  }
}
