package dev.bazaar.platform.messaging;

import dev.bazaar.platform.events.EventCodec;
import dev.bazaar.platform.events.SagaEvent;
import dev.bazaar.platform.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The producing half of the transactional outbox: a service's store calls {@link #append} inside
 * its own SQL transaction, next to the state change the event announces, so that both commit or
 * neither does. {@link OutboxRelay} publishes the rows to Kafka afterwards.
 *
 * <p>The {@code outbox} table and its trigger are the platform's (migration location
 * {@code db/migration/bazaar_messaging}, applied to every service database by
 * {@link dev.bazaar.platform.db.Database#migrate}).
 * The trigger wakes the relay through {@code NOTIFY outbox_<database>}, delivered when the
 * inserting transaction commits (nothing at all if it rolls back).
 */
public final class Outbox {
  public static final String TABLE = "outbox";
  /** The Kafka record header (and outbox {@code headers} key) carrying the W3C trace context. */
  public static final String TRACEPARENT = "traceparent";
  private static final String INSERT =
    "INSERT INTO outbox (topic, record_key, event_id, type, occurred_at, payload, headers) VALUES ($1, $2, $3, $4, $5, $6, $7)";
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private Outbox() {
  }

  /** The PostgreSQL channel the outbox trigger notifies, for {@code database}. */
  public static String channel(String database) {
    return "outbox_" + database;
  }

  /**
   * Adds {@code event} for {@code topic} (keyed by its order id) in the caller's transaction
   * {@code tx}. {@code traceparent} (W3C; a malformed one is dropped; when {@code null}, that of
   * the span running now, if any) is stored with the row: the relay publishes the event as part of
   * that trace. Fails if the event id was appended before.
   */
  public static Future<Void> append(SqlConnection tx, String topic, EventEnvelope event, String traceparent) {
    if (traceparent == null) {
      traceparent = Tracing.traceparent();
    }
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(event, "event");
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      return Future.failedFuture(new IllegalArgumentException("invalid topic name: " + topic));
    }
    JsonObject headers = new JsonObject();
    if (traceparent != null && TRACEPARENT_FORMAT.matcher(traceparent).matches()) {
      headers.put(TRACEPARENT, traceparent);
    }
    Tuple row = Tuple.of(topic, event.orderId(), event.eventId(), event.type(),
      OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC), event.payload(), headers);
    return tx.preparedQuery(INSERT).execute(row).mapEmpty();
  }

  public static Future<Void> append(SqlConnection tx, String topic, EventEnvelope event) {
    return append(tx, topic, event, null);
  }

  /** Adds the saga event {@code event} about {@code orderId} to its topic (a new envelope), as {@link #append} does. */
  public static Future<Void> append(SqlConnection tx, UUID orderId, SagaEvent event, String traceparent) {
    return append(tx, EventCodec.topic(event.getClass()), EventCodec.envelope(orderId, event), traceparent);
  }

  public static Future<Void> append(SqlConnection tx, UUID orderId, SagaEvent event) {
    return append(tx, orderId, event, null);
  }
}
