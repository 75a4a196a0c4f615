package dev.bazaar.platform.messaging;

import dev.bazaar.platform.db.DatabaseUnavailable;
import dev.bazaar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;

/**
 * One attempt at one record, for an {@link IdempotentConsumer}: parse it, dead-letter what can never
 * be applied, skip the ignored types, else record the event id in {@code processed_events} and run
 * the handler in ONE transaction (a duplicate runs nothing). Also forgets old {@code processed_events}.
 */
final class EventApplier {
  private static final Logger LOG = LoggerFactory.getLogger(EventApplier.class);
  private static final String MARK_PROCESSED =
    "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  private static final String PURGE = "DELETE FROM processed_events WHERE ctid IN (SELECT ctid FROM processed_events"
    + " WHERE consumer = $1 AND processed_at < now() - make_interval(hours => $2) LIMIT 5000)";

  private final Vertx vertx;
  private final Pool pool;
  private final String name;
  private final String group;
  private final Map<String, IdempotentConsumer.EventHandler> handlers;
  private final Set<String> ignored;
  private final DeadLetters deadLetters;

  EventApplier(Vertx vertx, Pool pool, String name, String group, Map<String, IdempotentConsumer.EventHandler> handlers,
               Set<String> ignored, DeadLetters deadLetters) {
    this.vertx = vertx;
    this.pool = pool;
    this.name = name;
    this.group = group;
    this.handlers = handlers;
    this.ignored = ignored;
    this.deadLetters = deadLetters;
  }

  /** How {@code record} ended; fails (to be retried) on anything transient. */
  Future<IdempotentConsumer.Outcome> process(KafkaConsumerRecord<String, Buffer> record) {
    EventEnvelope event;
    try {
      event = EventEnvelope.parse(record.value());
    } catch (PoisonEventException e) {
      return deadLetters.send(record, e.reason());
    }
    if (!event.orderId().equals(record.key())) {
      return deadLetters.send(record, "record key does not match orderId");
    }
    if (ignored.contains(event.type())) {
      return Future.succeededFuture(IdempotentConsumer.Outcome.IGNORED);
    }
    IdempotentConsumer.EventHandler handler = handlers.get(event.type());
    if (handler == null) {
      return deadLetters.send(record, "unknown event type " + event.type());
    }
    // the work is a span of the producer's trace: its queries, calls and outbox rows join it
    KafkaHeader traceparent = lastHeader(record, Outbox.TRACEPARENT);
    return Tracing.inSpan(vertx, "consume " + record.topic() + " " + event.type(), SpanKind.CONSUMER,
      traceparent == null ? null : traceparent.value().toString(),
      Map.of("messaging.system", "kafka", "messaging.destination.name", record.topic(),
        "messaging.consumer.group.name", group, "bazaar.event.type", event.type(), "bazaar.order.id", event.orderId()),
      () -> apply(record, event, handler));
  }

  private Future<IdempotentConsumer.Outcome> apply(KafkaConsumerRecord<String, Buffer> record, EventEnvelope event,
                                                   IdempotentConsumer.EventHandler handler) {
    return pool.withTransaction(tx -> tx.preparedQuery(MARK_PROCESSED).execute(Tuple.of(name, event.eventId()))
        .compose(rows -> rows.rowCount() == 0
          ? Future.succeededFuture(IdempotentConsumer.Outcome.DUPLICATE)
          : handler.handle(tx, event).map(IdempotentConsumer.Outcome.APPLIED)))
      // a "poison" that is really the database going away is retried like any transient failure
      .recover(err -> err instanceof PoisonEventException poison && !DatabaseUnavailable.is(poison.getCause())
        ? deadLetters.send(record, poison.reason())
        : Future.failedFuture(err));
  }

  private static KafkaHeader lastHeader(KafkaConsumerRecord<String, Buffer> record, String key) {
    KafkaHeader found = null;
    for (KafkaHeader header : record.headers()) {
      if (header.key().equals(key)) {
        found = header;
      }
    }
    return found;
  }

  /** Deletes (up to 5000) of this consumer's {@code processed_events} older than {@code hours}. */
  void purge(int hours) {
    pool.preparedQuery(PURGE).execute(Tuple.of(name, hours))
      .onSuccess(rows -> {
        if (rows.rowCount() > 0) {
          LOG.info("{}: forgot {} processed events older than {} h", name, rows.rowCount(), hours);
        }
      })
      .onFailure(err -> LOG.debug("{}: purge of processed_events failed: {}", name, err.toString()));
  }
}
