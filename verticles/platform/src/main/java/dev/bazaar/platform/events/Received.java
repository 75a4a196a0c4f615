package dev.bazaar.platform.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.UUID;

/** A saga event as a consumer receives it: the envelope's identity and time, the order it is about, the typed event. */
public record Received<E extends SagaEvent>(UUID eventId, UUID orderId, Instant occurredAt, E event) {

  /** What a service does with one event of type {@code E}, inside the transaction that records it as processed. */
  @FunctionalInterface
  public interface Handler<E extends SagaEvent> {
    Future<Void> handle(SqlConnection tx, Received<E> received);
  }
}
