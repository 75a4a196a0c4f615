package dev.bazaar.platform.messaging;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.resilience.RetryPolicy;
import io.vertx.core.Context;
import dev.bazaar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The publishing half of the transactional outbox: sends the rows {@link Outbox#append} stored to
 * Kafka, in id order, and marks them published.
 *
 * <ul>
 *   <li><b>One active relay per outbox</b>, whatever the number of instances: the active one holds
 *       the PostgreSQL session advisory lock {@link #LOCK_KEY} on a dedicated connection (advisory
 *       locks are per database, and there is one outbox per database). Standbys retry
 *       {@code pg_try_advisory_lock} every {@link KafkaSettings#relayLockRetryMs()}. When the
 *       holder's connection dies (process killed, database restarted, a round trip timed out and
 *       the connection was closed) PostgreSQL releases the lock and a standby takes over.</li>
 *   <li><b>Woken in milliseconds</b>: the active relay {@code LISTEN}s on
 *       {@code outbox_<database>}, notified by the outbox trigger when an inserting transaction
 *       commits; it also polls every {@link KafkaSettings#relayPollIntervalMs()} as a safety net.</li>
 *   <li><b>Never skips a row</b>: each round selects {@code WHERE published_at IS NULL ORDER BY id
 *       LIMIT batch} again; there is no "highest id seen" cursor, so a row whose transaction took
 *       its id early and committed late is published at the next round after its commit.</li>
 *   <li><b>At least once</b>: a round sends its rows (idempotent producer, {@code acks=all}, keyed
 *       by order id, so per-partition order is kept), awaits every ack, then marks the acked prefix
 *       in one {@code UPDATE} on the lock-holding connection. A crash between send and mark
 *       re-sends those rows later; consumers deduplicate by event id. Only the lock holder can mark:
 *       if its connection is gone, the mark fails too.</li>
 *   <li><b>Bounded</b>: {@link KafkaSettings#relayBatchSize()} rows in memory; after a Kafka or
 *       database error the next round waits an exponential, jittered delay
 *       ({@link KafkaSettings#backoff()}) up to {@link KafkaSettings#backoffCapMs()}.</li>
 *   <li><b>Housekeeping</b>: the active relay deletes published rows older than
 *       {@link KafkaSettings#outboxRetentionHours()} every 10 minutes, 1000 at a time.</li>
 * </ul>
 * The row's stored {@code traceparent} becomes the record header {@code traceparent}; the value is
 * the {@link EventEnvelope} as JSON.
 *
 * <p>Create and start it from the verticle that owns it (its context runs the relay), stop it in
 * the verticle's {@code stop()}. A publishing service also calls {@link Topics#ensure} for its
 * topics at start when the brokers do not create topics automatically.
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  /** The advisory lock key of the outbox relay ("BazaOutb" in ASCII). */
  public static final long LOCK_KEY = 0x42617a614f757462L;
  private static final long PURGE_EVERY_MS = 10 * 60_000L;
  private static final String SELECT_BATCH =
    "SELECT id, topic, record_key, event_id, type, occurred_at, payload, headers, created_at FROM outbox"
      + " WHERE published_at IS NULL ORDER BY id LIMIT $1";
  private static final String MARK = "UPDATE outbox SET published_at = now() WHERE id = ANY($1) AND published_at IS NULL";
  private static final String BACKLOG = "SELECT count(*) FROM outbox WHERE published_at IS NULL";
  private static final String PURGE = "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"
    + " WHERE published_at < now() - make_interval(hours => $1) ORDER BY id LIMIT 1000)";

  private final Vertx vertx;
  private final Context context;
  private final Pool pool;
  private final PgConnectOptions connectOptions;
  private final KafkaSettings settings;
  private final String channel;
  private final RetryPolicy backoff;
  private final String name;
  private final MessagingMetrics.RelayLatency latency;

  private KafkaProducer<String, Buffer> producer;
  private PgConnection connection;
  private boolean started;
  private boolean stopped;
  private boolean acquiring;
  private volatile boolean active;
  private boolean draining;
  private boolean again;
  private int failures;
  private int lockFailures;
  private long lockTimer = -1;
  private long pollTimer = -1;
  private long retryTimer = -1;
  private long nextPurgeAt;
  private Future<?> round = Future.succeededFuture();
  private Function<List<Long>, Future<Void>> beforeMark = ids -> Future.succeededFuture();

  private OutboxRelay(Vertx vertx, Context context, Pool pool, DatabaseSettings db, KafkaSettings settings) {
    this.vertx = vertx;
    this.context = context;
    this.pool = pool;
    this.settings = settings;
    this.channel = Outbox.channel(db.database());
    this.backoff = settings.backoff();
    this.name = "outbox-relay[" + db.database() + "/" + UUID.randomUUID().toString().substring(0, 8) + "]";
    this.latency = MessagingMetrics.relayLatency(db.database());
    this.connectOptions = new PgConnectOptions()
      .setHost(db.host())
      .setPort(db.port())
      .setDatabase(db.database())
      .setUser(db.user())
      .setPassword(db.password())
      .setReconnectAttempts(0)
      .setCachePreparedStatements(true)
      .addProperty("application_name", "bazaar-outbox-relay");
  }

  /**
   * A relay for the outbox of database {@code db}; {@code pool} (the service's) serves
   * {@link #backlog()} and housekeeping. Call on the owning verticle's context.
   */
  public static OutboxRelay create(Vertx vertx, Pool pool, DatabaseSettings db, KafkaSettings settings) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("create the outbox relay on a Vert.x context (the verticle that owns it)");
    }
    return new OutboxRelay(vertx, context, Objects.requireNonNull(pool), db, settings);
  }

  /**
   * Starts as a standby and makes a first attempt at becoming the active relay (the result completes
   * after that attempt, whatever its outcome: standbys keep trying).
   */
  public Future<Void> start() {
    if (started) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    started = true;
    producer = KafkaProducer.create(vertx, KafkaClients.producer(settings, "relay"));
    producer.exceptionHandler(err -> LOG.debug("{}: producer error: {}", name, err.toString()));
    lockTimer = vertx.setPeriodic(settings.relayLockRetryMs(), id -> tryToLead());
    pollTimer = vertx.setPeriodic(settings.relayPollIntervalMs(), id -> wake());
    return tryToLead();
  }

  /**
   * Stops publishing: lets the current round finish (bounded), releases the lock by closing the
   * dedicated connection, closes the producer.
   */
  public Future<Void> stop() {
    if (stopped || !started) {
      stopped = true;
      return Future.succeededFuture();
    }
    stopped = true;
    vertx.cancelTimer(lockTimer);
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(retryTimer);
    long bound = settings.requestTimeoutMs() * 4;
    return round.otherwiseEmpty().timeout(bound, TimeUnit.MILLISECONDS).otherwiseEmpty()
      .eventually(() -> {
        active = false;
        PgConnection c = connection;
        connection = null;
        return c == null ? Future.succeededFuture() : c.close();
      })
      .eventually(() -> producer.close(settings.requestTimeoutMs()))
      .<Void>mapEmpty()
      .otherwiseEmpty()
      .onComplete(v -> LOG.info("{} stopped", name));
  }

  /** Is this instance the active relay (holder of the lock) right now? */
  public boolean isActive() {
    return active;
  }

  /** Rows not yet published (any instance may ask; for health and metrics). */
  public Future<Long> backlog() {
    return pool.query(BACKLOG).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Test hook: runs after the rows of a round were acked by Kafka, before they are marked. */
  void beforeMark(Function<List<Long>, Future<Void>> hook) {
    this.beforeMark = Objects.requireNonNull(hook);
  }

  /**
   * Test hook: dies as if the process were killed: no more rounds or attempts, the dedicated
   * connection closes (so PostgreSQL releases the lock), the producer closes without waiting.
   */
  Future<Void> crash() {
    stopped = true;
    active = false;
    vertx.cancelTimer(lockTimer);
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(retryTimer);
    PgConnection c = connection;
    connection = null;
    return Future.join(c == null ? Future.succeededFuture() : c.close(), producer.close(0))
      .<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> tryToLead() {
    if (stopped || active || acquiring) {
      return Future.succeededFuture();
    }
    acquiring = true;
    return connect()
      .compose(c -> takeLock(c).onFailure(err -> c.close()))
      .onSuccess(v -> lockFailures = 0)
      .onFailure(err -> {
        if (lockFailures++ == 0) {
          LOG.warn("{}: cannot try the outbox lock (will keep trying): {}", name, err.toString());
        }
      })
      .onComplete(ar -> acquiring = false)
      .otherwiseEmpty();
  }

  /** {@code pg_try_advisory_lock} on the dedicated connection; if granted, LISTEN and become the active relay. */
  private Future<Void> takeLock(PgConnection c) {
    return c.preparedQuery("SELECT pg_try_advisory_lock($1)").execute(Tuple.of(LOCK_KEY))
      .timeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)
      .map(rows -> rows.iterator().next().getBoolean(0))
      .compose(locked -> locked ? listen(c).map(true) : Future.succeededFuture(false))
      .map(locked -> {
        if (!locked) {
          return null;
        }
        if (stopped || connection != c) {
          c.close();
          return null;
        }
        active = true;
        failures = 0;
        LOG.info("{} is the active outbox relay (listening on {})", name, channel);
        wake();
        return null;
      });
  }

  private Future<Void> listen(PgConnection c) {
    return c.query("LISTEN \"" + channel.replace("\"", "\"\"") + "\"").execute()
      .timeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)
      .mapEmpty();
  }

  /**
   * The dedicated connection, opened if needed within {@link KafkaSettings#requestTimeoutMs()} (a
   * connection that arrives later is closed: a hung attempt must not hold up the next one).
   */
  private Future<PgConnection> connect() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    Promise<PgConnection> opened = Promise.promise();
    long timeout = vertx.setTimer(settings.requestTimeoutMs(), id ->
      opened.tryFail(new java.util.concurrent.TimeoutException("no connection to PostgreSQL within " + settings.requestTimeoutMs() + " ms")));
    PgConnection.connect(vertx, connectOptions).onComplete(ar -> {
      vertx.cancelTimer(timeout);
      if (ar.succeeded() && !opened.tryComplete(ar.result())) {
        ar.result().close();
      } else if (ar.failed()) {
        opened.tryFail(ar.cause());
      }
    });
    return opened.future().map(c -> {
      if (stopped) {
        c.close();
        throw new IllegalStateException("stopped");
      }
      connection = c;
      c.closeHandler(v -> lost(c));
      c.exceptionHandler(err -> LOG.debug("{}: connection error: {}", name, err.toString()));
      c.notificationHandler(n -> wake());
      return c;
    });
  }

  private void lost(PgConnection c) {
    if (connection != c) {
      return;
    }
    connection = null;
    if (active) {
      active = false;
      if (!stopped) {
        LOG.warn("{} lost its database connection: no longer the active relay", name);
      }
    }
  }

  /** A round is wanted: now, or after the current one, or when the backoff ends. */
  private void wake() {
    if (!active || stopped) {
      return;
    }
    if (draining) {
      again = true;
      return;
    }
    if (retryTimer != -1) {
      return;
    }
    draining = true;
    drain();
  }

  private void drain() {
    again = false;
    PgConnection c = connection;
    if (c == null || !active || stopped) {
      draining = false;
      return;
    }
    Future<Integer> current = c.preparedQuery(SELECT_BATCH).execute(Tuple.of(settings.relayBatchSize()))
      .timeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)
      .compose(rows -> rows.size() == 0 ? Future.succeededFuture(0) : publish(c, rows));
    round = current;
    current.onComplete(ar -> {
      if (ar.succeeded()) {
        failures = 0;
        if (ar.result() >= settings.relayBatchSize() || again) {
          context.runOnContext(v -> drain());
        } else {
          draining = false;
          purgeIfDue();
        }
        return;
      }
      draining = false;
      failures++;
      long delay = backoff.delayMs(failures);
      if (failures == 1) {
        LOG.warn("{}: round failed, retrying with backoff: {}", name, ar.cause().toString());
      } else {
        LOG.debug("{}: round failed ({} in a row), next in {} ms: {}", name, failures, delay, ar.cause().toString());
      }
      if (ar.cause() instanceof java.util.concurrent.TimeoutException && connection == c) {
        // a stuck database round trip: give the lock up rather than hold it without progress
        c.close();
      }
      if (!stopped) {
        retryTimer = vertx.setTimer(Math.max(1, delay), id -> {
          retryTimer = -1;
          wake();
        });
      }
    });
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

  private void purgeIfDue() {
    long now = System.currentTimeMillis();
    if (now < nextPurgeAt) {
      return;
    }
    nextPurgeAt = now + PURGE_EVERY_MS;
    pool.preparedQuery(PURGE).execute(Tuple.of(settings.outboxRetentionHours()))
      .onSuccess(rows -> {
        if (rows.rowCount() > 0) {
          LOG.info("{}: deleted {} published outbox rows older than {} h", name, rows.rowCount(), settings.outboxRetentionHours());
        }
      })
      .onFailure(err -> LOG.debug("{}: outbox purge failed: {}", name, err.toString()));
  }
}
