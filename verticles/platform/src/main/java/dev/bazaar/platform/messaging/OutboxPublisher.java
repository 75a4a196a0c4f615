package dev.bazaar.platform.messaging;

import dev.bazaar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One round of the {@link OutboxRelay}: the oldest unpublished rows (at most
 * {@link KafkaSettings#relayBatchSize()}, {@code ORDER BY id}, no cursor: a row committed late is
 * taken at the next round) sent in id order, every ack awaited, then the acked prefix marked
 * published in one {@code UPDATE} on the lock-holding connection. A row's {@code traceparent}
 * becomes the record's header (the send is a span of that trace); the value is the envelope.
 */
final class OutboxPublisher {
  private static final String SELECT_BATCH =
    "SELECT id, topic, record_key, event_id, type, occurred_at, payload, headers, created_at FROM outbox"
      + " WHERE published_at IS NULL ORDER BY id LIMIT $1";
  private static final String MARK = "UPDATE outbox SET published_at = now() WHERE id = ANY($1) AND published_at IS NULL";

  private final KafkaProducer<String, Buffer> producer;
  private final KafkaSettings settings;
  private final MessagingMetrics.RelayLatency latency;
  private Function<List<Long>, Future<Void>> beforeMark = ids -> Future.succeededFuture();

  OutboxPublisher(KafkaProducer<String, Buffer> producer, KafkaSettings settings, MessagingMetrics.RelayLatency latency) {
    this.producer = producer;
    this.settings = settings;
    this.latency = latency;
  }

  /** Test hook: runs after the rows of a round were acked by Kafka, before they are marked. */
  void beforeMark(Function<List<Long>, Future<Void>> hook) {
    this.beforeMark = Objects.requireNonNull(hook);
  }

  /** One round on {@code c}: how many rows it took (a full batch: there may be more). */
  Future<Integer> round(PgConnection c) {
    return c.preparedQuery(SELECT_BATCH).execute(Tuple.of(settings.relayBatchSize()))
      .timeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)
      .compose(rows -> rows.size() == 0 ? Future.succeededFuture(0) : publish(c, rows));
  }

  /** Sends the rows in id order, waits for every ack, marks the acked prefix; fails if any send failed. */
  private Future<Integer> publish(PgConnection c, RowSet<Row> rows) {
    List<Long> ids = new ArrayList<>(rows.size());
    List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
    for (Row row : rows) {
      ids.add(row.getLong("id"));
      sends.add(send(row).onSuccess(acked -> latency.published(row)));
    }
    return Future.join(sends).transform(all -> {
      List<Long> acked = new ArrayList<>(ids.size());
      Throwable failure = null;
      for (int i = 0; i < sends.size(); i++) {
        if (sends.get(i).failed()) {
          failure = sends.get(i).cause();
          break;
        }
        acked.add(ids.get(i));
      }
      Throwable sendFailure = failure;
      Future<Void> marked = acked.isEmpty()
        ? Future.succeededFuture()
        : beforeMark.apply(List.copyOf(acked)).compose(v -> c.preparedQuery(MARK)
          .execute(Tuple.of(acked.toArray(new Long[0])))
          .timeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)
          .<Void>mapEmpty());
      return marked.compose(v -> sendFailure == null
        ? Future.succeededFuture(ids.size())
        : Future.failedFuture(sendFailure));
    });
  }

  private Future<RecordMetadata> send(Row row) {
    try {
      EventEnvelope event = new EventEnvelope(row.getUUID("event_id"), row.getString("type"),
        row.getString("record_key"), row.getOffsetDateTime("occurred_at").toInstant(), row.getJsonObject("payload"));
      KafkaProducerRecord<String, Buffer> record =
        KafkaProducerRecord.create(row.getString("topic"), event.orderId(), event.toBuffer());
      JsonObject headers = row.getJsonObject("headers");
      // the send is a span of the trace that wrote the row; the record carries that span's context
      String topic = row.getString("topic");
      Span span = Tracing.start("publish " + topic, SpanKind.PRODUCER,
        headers == null ? null : headers.getString(Outbox.TRACEPARENT),
        Map.of("messaging.system", "kafka", "messaging.destination.name", topic,
          "bazaar.event.type", event.type(), "bazaar.order.id", event.orderId()));
      if (headers != null) {
        for (Map.Entry<String, Object> header : headers) {
          boolean replaced = span.getSpanContext().isValid() && Outbox.TRACEPARENT.equals(header.getKey());
          if (header.getValue() instanceof String value && !replaced) {
            record.addHeader(header.getKey(), value);
          }
        }
      }
      if (span.getSpanContext().isValid()) {
        record.addHeader(Outbox.TRACEPARENT, Tracing.format(span.getSpanContext()));
      }
      return producer.send(record).onComplete(ar -> Tracing.end(span, ar.cause()));
    } catch (RuntimeException e) {
      // a row the relay cannot even turn into a record (edited by hand?): it blocks the outbox until fixed
      return Future.failedFuture(new IllegalStateException("outbox row " + row.getLong("id") + " is invalid: " + e, e));
    }
  }
}
