package dev.bazaar.platform.eventbus;

import dev.bazaar.platform.db.DatabaseUnavailable;
import dev.bazaar.platform.validation.InvalidInputException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * How a service's point-to-point event-bus handlers answer (each registered with
 * {@code register(EventBus)} and handed to the runtime): the reply, or
 * {@code message.fail(status, detail)} with 400 for a request that breaks the contract
 * ({@link InvalidInputException}), the given status for a {@link Refusal}, 503 while the database
 * is unavailable, 500 (logged) for anything else. HTTP-shaped APIs on the bus use {@link BusRouter}.
 */
public final class BusAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(BusAnswers.class);

  private BusAnswers() {
  }

  /** A refusal with a meaning for the caller (404 unknown order, 409 wrong state). */
  public static final class Refusal extends RuntimeException {
    private final int status;

    public Refusal(int status, String detail) {
      super(detail, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Answers {@code message} of {@code service} with what {@code handler} makes of its JSON body. */
  public static void answer(String service, Message<Object> message, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> reply;
    try {
      if (!(message.body() instanceof JsonObject body)) {
        throw new InvalidInputException("the body must be a JSON object");
      }
      reply = handler.apply(body);
    } catch (InvalidInputException e) {
      message.fail(400, e.getMessage());
      return;
    }
    reply
      .onSuccess(message::reply)
      .onFailure(error -> {
        if (error instanceof Refusal refusal) {
          message.fail(refusal.status(), refusal.getMessage());
        } else if (error instanceof InvalidInputException invalid) {
          message.fail(400, invalid.getMessage());
        } else if (DatabaseUnavailable.is(error)) {
          message.fail(503, service + "'s database is unavailable; retry shortly");
        } else {
          LOG.error("{} failed", message.address(), error);
          message.fail(500, service + " cannot answer right now");
        }
      });
  }
}
