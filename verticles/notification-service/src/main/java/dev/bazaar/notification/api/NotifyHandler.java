package dev.bazaar.notification.api;

import dev.bazaar.notification.domain.NewNotification;
import dev.bazaar.notification.events.NotificationPush;
import dev.bazaar.notification.store.NotificationStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The internal address {@code notification-service.notify}, for other services:
 * {@code {"userId", "orderId"?, "kind", "text"}} → stored, reply {@code {"id"}}. Invalid input is
 * {@code fail(400, "<field> <problem>; …")} and stores nothing; a store failure is
 * {@code fail(503, …)}, which the caller may retry. A stored notification is pushed live
 * ({@link NotificationPush}).
 */
public final class NotifyHandler {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyHandler.class);

  private final NotificationStore notifications;
  private final NotificationPush push;

  public NotifyHandler(NotificationStore notifications, NotificationPush push) {
    this.notifications = notifications;
    this.push = push;
  }

  /** Consumes {@code address}; the future completes once the consumer is registered. */
  public Future<MessageConsumer<Object>> listen(Vertx vertx, String address) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, this::handle);
    return consumer.completion().map(consumer);
  }

  private void handle(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body)) {
      message.fail(400, "The body must be a JSON object.");
      return;
    }
    Object userId = body.getValue("userId");
    Object orderId = body.getValue("orderId");
    Object kind = body.getValue("kind");
    Object text = body.getValue("text");
    Map<String, String> problems = NewNotification.problems(userId, orderId, kind, text);
    if (!problems.isEmpty()) {
      message.fail(400, problems.entrySet().stream().map(p -> p.getKey() + " " + p.getValue()).collect(Collectors.joining("; ")));
      return;
    }
    notifications.insert(NewNotification.of(userId, orderId, kind, text))
      .onSuccess(stored -> {
        message.reply(new JsonObject().put("id", stored.id().toString()));
        push.announce(stored);
      })
      .onFailure(error -> {
        LOG.warn("cannot store a notification: {}", error.toString());
        message.fail(503, "The notification could not be stored; try again.");
      });
  }
}
