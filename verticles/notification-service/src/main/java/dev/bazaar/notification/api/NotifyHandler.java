package dev.bazaar.notification.api;

import dev.bazaar.platform.validation.FieldError;
import dev.bazaar.notification.domain.NewNotification;
import dev.bazaar.notification.events.NotificationPush;
import dev.bazaar.notification.store.NotificationStore;
import dev.bazaar.platform.eventbus.BusAnswers;
import dev.bazaar.platform.validation.InvalidInputException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The internal address {@code notification-service.notify}, for other services:
 * {@code {"userId", "orderId"?, "kind", "text"}} → stored, reply {@code {"id"}}. Invalid input is
 * {@code fail(400, "<field> <problem>; …")} and stores nothing; an unavailable database is
 * {@code fail(503, …)}, which the caller may retry ({@link BusAnswers}). A stored notification is
 * pushed live ({@link NotificationPush}).
 */
public record NotifyHandler(NotificationStore notifications, NotificationPush push) {
  /** Consumes {@code address}, as every service's point-to-point handlers do ({@code register(bus)}). */
  public MessageConsumer<Object> register(EventBus bus, String address) {
    return bus.consumer(address, message -> BusAnswers.answer("notification-service", message, this::handle));
  }

  private Future<JsonObject> handle(JsonObject body) {
    Object userId = body.getValue("userId");
    Object orderId = body.getValue("orderId");
    Object kind = body.getValue("kind");
    Object text = body.getValue("text");
    List<FieldError> problems = NewNotification.problems(userId, orderId, kind, text);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems.stream().map(p -> p.field() + " " + p.message()).collect(Collectors.joining("; ")));
    }
    return notifications.insert(NewNotification.of(userId, orderId, kind, text))
      .map(stored -> {
        push.announce(stored);
        return new JsonObject().put("id", stored.id().toString());
      });
  }
}
