package dev.bazaar.platform.messaging;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.resilience.RetryPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
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
 * <p>Jobs: {@link RelayLeadership} (the lock, LISTEN), {@link OutboxPublisher} (a round: fetch, send,
 * mark), this class (when rounds run: wake-ups, backoff, housekeeping), {@link MessagingMetrics}.
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
  private static final String BACKLOG = "SELECT count(*) FROM outbox WHERE published_at IS NULL";
  private static final String PURGE = "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"
    + " WHERE published_at < now() - make_interval(hours => $1) ORDER BY id LIMIT 1000)";

  private final Vertx vertx;
  private final Context context;
  private final Pool pool;
  private final KafkaSettings settings;
  private final RetryPolicy backoff;
  private final String name;
  private final MessagingMetrics.RelayLatency latency;
  private final RelayLeadership leadership;

  private KafkaProducer<String, Buffer> producer;
  private OutboxPublisher publisher;
  private Function<List<Long>, Future<Void>> beforeMark = ids -> Future.succeededFuture();
  private boolean started;
  private boolean stopped;
  private boolean draining;
  private boolean again;
  private int failures;
  private long lockTimer = -1;
  private long pollTimer = -1;
  private long retryTimer = -1;
  private long nextPurgeAt;
  private Future<?> round = Future.succeededFuture();

  private OutboxRelay(Vertx vertx, Context context, Pool pool, DatabaseSettings db, KafkaSettings settings) {
    this.vertx = vertx;
    this.context = context;
    this.pool = pool;
    this.settings = settings;
    this.backoff = settings.backoff();
    this.name = "outbox-relay[" + db.database() + "/" + UUID.randomUUID().toString().substring(0, 8) + "]";
    this.latency = MessagingMetrics.relayLatency(db.database());
    this.leadership = new RelayLeadership(vertx, db, settings, name, this::wake, () -> {
      failures = 0;
      wake();
    });
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
    publisher = new OutboxPublisher(producer, settings, latency);
    publisher.beforeMark(ids -> beforeMark.apply(ids));
    lockTimer = vertx.setPeriodic(settings.relayLockRetryMs(), id -> leadership.tryToLead());
    pollTimer = vertx.setPeriodic(settings.relayPollIntervalMs(), id -> wake());
    return leadership.tryToLead();
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
    halt();
    long bound = settings.requestTimeoutMs() * 4;
    return round.otherwiseEmpty().timeout(bound, TimeUnit.MILLISECONDS).otherwiseEmpty()
      .eventually(leadership::close)
      .eventually(() -> producer.close(settings.requestTimeoutMs()))
      .<Void>mapEmpty()
      .otherwiseEmpty()
      .onComplete(v -> LOG.info("{} stopped", name));
  }

  /** Is this instance the active relay (holder of the lock) right now? */
  public boolean isActive() {
    return leadership.active();
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
    halt();
    return Future.join(leadership.close(), producer.close(0)).<Void>mapEmpty().otherwiseEmpty();
  }

  private void halt() {
    stopped = true;
    vertx.cancelTimer(lockTimer);
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(retryTimer);
  }

  /** A round is wanted: now, or after the current one, or when the backoff ends. */
  private void wake() {
    if (!leadership.active() || stopped) {
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
    PgConnection c = leadership.connection();
    if (c == null || stopped) {
      draining = false;
      return;
    }
    Future<Integer> current = publisher.round(c);
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
      if (ar.cause() instanceof java.util.concurrent.TimeoutException) {
        // a stuck database round trip: give the lock up rather than hold it without progress
        leadership.resign(c);
      }
      if (!stopped) {
        retryTimer = vertx.setTimer(Math.max(1, delay), id -> {
          retryTimer = -1;
          wake();
        });
      }
    });
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
