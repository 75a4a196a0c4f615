package dev.bazaar.platform.messaging;

import dev.bazaar.platform.resilience.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The retry policy of an {@link IdempotentConsumer}'s handlers: a failed attempt is tried again after
 * an exponential, jittered delay ({@link KafkaSettings#backoff()}) {@link KafkaSettings#handlerAttempts()}
 * times, then every {@link KafkaSettings#backoffCapMs()} for as long as it takes: the partition waits.
 */
final class Retrying {
  private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final RetryPolicy backoff;
  private final String name;
  private Consumer<Throwable> onRetry = err -> { };

  Retrying(Vertx vertx, KafkaSettings settings, String name) {
    this.vertx = vertx;
    this.settings = settings;
    this.backoff = settings.backoff();
    this.name = name;
  }

  /** Test and metrics hook: told of each failed attempt that will be retried. */
  void onRetry(Consumer<Throwable> listener) {
    this.onRetry = Objects.requireNonNull(listener);
  }

  /**
   * Runs {@code attempt} until it succeeds; fails with the last error once {@code givenUp} says so
   * (the partition or the consumer went away). {@code what} names the work in the log.
   */
  <T> Future<T> untilDone(Supplier<Future<T>> attempt, BooleanSupplier givenUp, String what) {
    Promise<T> done = Promise.promise();
    attempt(attempt, givenUp, what, 1, done);
    return done.future();
  }

  private <T> void attempt(Supplier<Future<T>> work, BooleanSupplier givenUp, String what, int attempt, Promise<T> done) {
    work.get().onComplete(ar -> {
      if (ar.succeeded()) {
        done.complete(ar.result());
        return;
      }
      if (givenUp.getAsBoolean()) {
        done.fail(ar.cause());
        return;
      }
      onRetry.accept(ar.cause());
      long delay = attempt < settings.handlerAttempts() ? backoff.delayMs(attempt) : settings.backoffCapMs();
      if (attempt == 1 || attempt == settings.handlerAttempts()) {
        LOG.warn("{}: {} failed (attempt {}), retrying{}: {}", name, what, attempt,
          attempt >= settings.handlerAttempts() ? " every " + delay + " ms" : "", ar.cause().toString());
      }
      vertx.setTimer(Math.max(1, delay), id -> attempt(work, givenUp, what, attempt + 1, done));
    });
  }
}
