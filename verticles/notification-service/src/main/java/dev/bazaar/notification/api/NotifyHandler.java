package dev.bazaar.notification.api;

import dev.bazaar.platform.validation.FieldError;
import dev.bazaar.notification.domain.NewNotification;
import dev.bazaar.notification.store.NotificationStore;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The internal address {@code notification-service.notify}, for other services:
 * {@code {"userId", "orderId"?, "kind", "text"}} → stored, reply {@code {"id"}}. Invalid input is
 * {@code fail(400, "<field> <problem>; …")} and stores nothing; a store failure is
 * {@code fail(503, …)}, which the caller may retry.
 */
public final class NotifyHandler {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyHandler.class);

  private final NotificationStore notifications;

  public NotifyHandler(NotificationStore notifications) {
    this.notifications = notifications;
  }

  /** Consumes {@code address}, as every service's point-to-point handlers do ({@code register(bus)}). */
  public MessageConsumer<Object> register(EventBus bus, String address) {
    return bus.consumer(address, this::handle);
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
    List<FieldError> problems = NewNotification.problems(userId, orderId, kind, text);
    if (!problems.isEmpty()) {
      message.fail(400, problems.stream().map(p -> p.field() + " " + p.message()).collect(Collectors.joining("; ")));
      return;
    }
    notifications.insert(NewNotification.of(userId, orderId, kind, text))
      .onSuccess(id -> message.reply(new JsonObject().put("id", id.toString())))
      .onFailure(error -> {
        LOG.warn("cannot store a notification: {}", error.toString());
        message.fail(503, "The notification could not be stored; try again.");
      });
  }
}
