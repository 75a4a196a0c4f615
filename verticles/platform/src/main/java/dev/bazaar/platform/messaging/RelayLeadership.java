package dev.bazaar.platform.messaging;

import dev.bazaar.platform.config.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who is the active {@link OutboxRelay} of a database: the instance holding the session advisory
 * lock {@link OutboxRelay#LOCK_KEY} on its dedicated connection, which also {@code LISTEN}s on the
 * outbox channel (a notification wakes the relay). The lock goes with the connection: when it dies
 * (process killed, database restarted, closed after a stuck round trip) PostgreSQL releases it and a
 * standby's next {@link #tryToLead()} takes over.
 */
final class RelayLeadership {
  private static final Logger LOG = LoggerFactory.getLogger(RelayLeadership.class);

  private final Vertx vertx;
  private final PgConnectOptions connectOptions;
  private final KafkaSettings settings;
  private final String name;
  private final String channel;
  private final Runnable wake;
  private final Runnable onLead;
  private PgConnection connection;
  private boolean stopped;
  private boolean acquiring;
  private volatile boolean active;
  private int lockFailures;

  /** {@code wake}: a notification arrived; {@code onLead}: this instance just became the active relay. */
  RelayLeadership(Vertx vertx, DatabaseSettings db, KafkaSettings settings, String name, Runnable wake, Runnable onLead) {
    this.vertx = vertx;
    this.settings = settings;
    this.name = name;
    this.channel = Outbox.channel(db.database());
    this.wake = wake;
    this.onLead = onLead;
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

  boolean active() {
    return active;
  }

  /** The lock-holding connection while active, else null. */
  PgConnection connection() {
    return active ? connection : null;
  }

  /** Gives the lock up by closing {@code c}, if it is still ours (a stuck round trip: better a standby than no progress). */
  void resign(PgConnection c) {
    if (connection == c) {
      c.close();
    }
  }

  /** Stops for good: no more attempts; the lock is released with the connection, which closes. */
  Future<Void> close() {
    stopped = true;
    active = false;
    PgConnection c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : c.close();
  }

  /** One attempt at the lock unless active or trying already; never fails (standbys keep trying). */
  Future<Void> tryToLead() {
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
    return c.preparedQuery("SELECT pg_try_advisory_lock($1)").execute(Tuple.of(OutboxRelay.LOCK_KEY))
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
        LOG.info("{} is the active outbox relay (listening on {})", name, channel);
        onLead.run();
        return null;
      });
  }

  /**
   * LISTEN, and marks without waiting for their WAL flush ({@code synchronous_commit = off} on this
   * session only: it runs nothing but the relay's marks). A mark lost in a database crash sends its
   * rows again, which consumers find in {@code processed_events}; the outbox rows themselves are
   * written by the services' own, synchronous, transactions.
   */
  private Future<Void> listen(PgConnection c) {
    return c.query("SET synchronous_commit = off; LISTEN \"" + channel.replace("\"", "\"\"") + "\"").execute()
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
      opened.tryFail(new TimeoutException("no connection to PostgreSQL within " + settings.requestTimeoutMs() + " ms")));
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
      c.notificationHandler(n -> wake.run());
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
}
