package dev.bazaar.inventory.api;

import dev.bazaar.platform.validation.InvalidInputException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import dev.bazaar.platform.db.DatabaseUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * How inventory's event-bus handlers answer: the reply, or {@code message.fail(status, detail)}
 * with 400 for a request that breaks the contract, the given status for a refusal, 500 (logged)
 * when the database fails.
 */
final class BusAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(BusAnswers.class);

  private BusAnswers() {
  }

  /** A refusal with a meaning for the caller (404 unknown order, 409 wrong state). */
  static final class Refusal extends RuntimeException {
    final int status;

    Refusal(int status, String detail) {
      super(detail, null, false, false);
      this.status = status;
    }
  }

  static void answer(Message<Object> message, Function<JsonObject, Future<JsonObject>> handler) {
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
          message.fail(refusal.status, refusal.getMessage());
        } else if (DatabaseUnavailable.is(error)) {
          message.fail(503, "inventory's database is unavailable; retry shortly");
        } else {
          LOG.error("{} failed", message.address(), error);
          message.fail(500, "inventory cannot answer right now");
        }
      });
  }
}
