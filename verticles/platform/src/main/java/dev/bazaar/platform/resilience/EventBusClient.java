package dev.bazaar.platform.resilience;

import dev.bazaar.platform.config.ClientSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Request/reply over the clustered event bus, guarded like every remote call: a timeout per
 * attempt, a circuit breaker per address, and (for idempotent requests) retries with exponential
 * backoff and full jitter within a budget. A handler's deliberate failure ({@code RECIPIENT_FAILURE}
 * with a code below 500, e.g. "unknown product") is an answer, not an outage: it is neither retried
 * nor counted by the breaker.
 */
public final class EventBusClient {
  private final Vertx vertx;
  private final CircuitBreakers breakers;
  private final ClientSettings settings;
  private final RetryPolicy retry;

  public EventBusClient(Vertx vertx, CircuitBreakers breakers, ClientSettings settings) {
    this.vertx = vertx;
    this.breakers = breakers;
    this.settings = settings;
    this.retry = new RetryPolicy(settings.maxAttempts(), settings.backoffBaseMs(), settings.backoffCapMs(), settings.retryBudgetMs());
  }

  public Future<JsonObject> request(String address, JsonObject body, boolean idempotent) {
    return request(address, body, new DeliveryOptions(), idempotent);
  }

  public Future<JsonObject> request(String address, JsonObject body, DeliveryOptions options, boolean idempotent) {
    DeliveryOptions timed = new DeliveryOptions(options).setSendTimeout(settings.timeoutMs());
    return attempt(address, body, timed, idempotent, 1, System.currentTimeMillis());
  }

  private Future<JsonObject> attempt(String address, JsonObject body, DeliveryOptions options, boolean idempotent,
                                     int attempt, long start) {
    return breakers.forService("eventbus:" + address)
      .<Reply>execute(() -> vertx.eventBus().<JsonObject>request(address, body, options)
        .map(message -> new Reply(message.body(), null))
        .recover(error -> isAnswer(error) ? Future.succeededFuture(new Reply(null, error)) : Future.failedFuture(error)))
      .compose(reply -> reply.answeredFailure() != null
        ? Future.failedFuture(reply.answeredFailure())
        : Future.succeededFuture(reply.body()))
      .recover(error -> {
        boolean retryable = !isAnswer(error) && (idempotent || isNoHandlers(error));
        long delay = retry.delayMs(attempt);
        if (!retryable || !retry.allows(attempt + 1, System.currentTimeMillis() - start, delay)) {
          return Future.failedFuture(error);
        }
        breakers.metrics().retried("eventbus:" + address);
        Future<Void> pause = delay < 1 ? Future.succeededFuture() : vertx.timer(delay).mapEmpty();
        return pause.compose(v -> attempt(address, body, options, idempotent, attempt + 1, start));
      });
  }

  /** A reply, or a failure the handler answered on purpose (which the breaker must count as a success). */
  private record Reply(JsonObject body, Throwable answeredFailure) {
  }

  /**
   * The handler answered with a failure on purpose (validation, not found: a code below 500): not
   * an outage. A 5xx from the handler (its database is down) is an outage and counts.
   */
  public static boolean isAnswer(Throwable error) {
    return error instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
      && reply.failureCode() < 500;
  }

  static boolean isNoHandlers(Throwable error) {
    return error instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }
}
