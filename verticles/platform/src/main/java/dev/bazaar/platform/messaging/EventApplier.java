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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One attempt at one record, for an {@link IdempotentConsumer}: parse it, dead-letter what can never
 * be applied, skip the ignored types, else record the event id in {@code processed_events} and run
 * the handler in ONE transaction (a duplicate runs nothing). Or one attempt at a batch of one
 * partition's records, all in ONE transaction ({@link #processBatch}). Also forgets old
 * {@code processed_events}.
 */
final class EventApplier {
  private static final Logger LOG = LoggerFactory.getLogger(EventApplier.class);
  private static final String MARK_PROCESSED =
    "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  private static final String MARK_MANY = "INSERT INTO processed_events (consumer, event_id)"
    + " SELECT $1::text, id FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING event_id";
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
    return traced(record, event, () -> apply(record, event, handler));
  }

  /**
   * A batch of one partition's records, in their order, in ONE transaction: one statement marks
   * every event id processed, then each new event's handler runs on the same connection, each as a
   * span of its producer's trace; one commit (one WAL flush) for the lot. A duplicate (already
   * marked, or earlier in the same batch) runs nothing; ignored types are skipped.
   *
   * <p>Only the happy path is batched: when a record would be dead-lettered, or any handler fails
   * (transient or poison), the batch fails with nothing applied, and the caller takes its records
   * one at a time ({@link #process}), which isolates the bad one and retries the transient.
   */
  Future<List<IdempotentConsumer.Outcome>> processBatch(List<KafkaConsumerRecord<String, Buffer>> records) {
    List<EventEnvelope> events = new ArrayList<>(records.size());
    List<UUID> ids = new ArrayList<>(records.size());
    for (KafkaConsumerRecord<String, Buffer> record : records) {
      EventEnvelope event;
      try {
        event = EventEnvelope.parse(record.value());
      } catch (PoisonEventException e) {
        return Future.failedFuture(new NotBatchable("a record to dead-letter"));
      }
      if (!event.orderId().equals(record.key()) || !ignored.contains(event.type()) && !handlers.containsKey(event.type())) {
        return Future.failedFuture(new NotBatchable("a record to dead-letter"));
      }
      boolean handled = !ignored.contains(event.type());
      events.add(handled ? event : null);
      if (handled) {
        ids.add(event.eventId());
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(records.stream().map(r -> IdempotentConsumer.Outcome.IGNORED).toList());
    }
    Tuple marks = Tuple.tuple().addString(name).addArrayOfUUID(ids.toArray(new UUID[0]));
    return pool.withTransaction(tx -> tx.preparedQuery(MARK_MANY).execute(marks)
      .compose(marked -> {
        Set<UUID> fresh = new HashSet<>();
        marked.forEach(row -> fresh.add(row.getUUID(0)));
        List<IdempotentConsumer.Outcome> outcomes = new ArrayList<>(records.size());
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < records.size(); i++) {
          EventEnvelope event = events.get(i);
          if (event == null) {
            outcomes.add(IdempotentConsumer.Outcome.IGNORED);
          } else if (fresh.remove(event.eventId())) {
            KafkaConsumerRecord<String, Buffer> record = records.get(i);
            IdempotentConsumer.EventHandler handler = handlers.get(event.type());
            chain = chain.compose(v -> traced(record, event, () -> handler.handle(tx, event)));
            outcomes.add(IdempotentConsumer.Outcome.APPLIED);
          } else {
            outcomes.add(IdempotentConsumer.Outcome.DUPLICATE);
          }
        }
        return chain.map(outcomes);
      }));
  }

  /** Why a batch was not applied as one: its records go one at a time. */
  static final class NotBatchable extends RuntimeException {
    NotBatchable(String why) {
      super(why, null, false, false);
    }
  }

  /** {@code work} as a span of the trace the record carries (its {@code traceparent} header). */
  private <T> Future<T> traced(KafkaConsumerRecord<String, Buffer> record, EventEnvelope event,
                               Supplier<Future<T>> work) {
    KafkaHeader traceparent = lastHeader(record, Outbox.TRACEPARENT);
    return Tracing.inSpan(vertx, "consume " + record.topic() + " " + event.type(), SpanKind.CONSUMER,
      traceparent == null ? null : traceparent.value().toString(),
      Map.of("messaging.system", "kafka", "messaging.destination.name", record.topic(),
        "messaging.consumer.group.name", group, "bazaar.event.type", event.type(), "bazaar.order.id", event.orderId()),
      work);
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
