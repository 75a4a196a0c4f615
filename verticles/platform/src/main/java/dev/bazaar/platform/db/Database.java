package dev.bazaar.platform.db;

import dev.bazaar.platform.config.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** The service's own PostgreSQL: schema migrations (Flyway, off the event loop) and the reactive pool. */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  /** How long opening one connection may take (TCP connect); Netty's default is a minute. */
  public static final int CONNECT_TIMEOUT_MS = 3000;
  /** How long a query waits for a pooled connection before failing (then: 503, or a consumer's retry). */
  public static final int ACQUIRE_TIMEOUT_SECONDS = 5;

  private Database() {
  }

  /**
   * Applies the versioned migrations under {@code classpath:db/migration/<database>} (one folder per
   * service, so that services deployed together in one JVM never see each other's migrations), then
   * the platform's messaging tables ({@link MessagingSchema}, their own history table).
   * Runs on a worker thread; Flyway's lock in the database makes concurrent starts safe.
   */
  public static Future<Void> migrate(Vertx vertx, DatabaseSettings settings) {
    return vertx.executeBlocking(() -> {
      FluentConfiguration base = Flyway.configure(Database.class.getClassLoader())
        .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
        .connectRetries(10);
      Flyway service = new FluentConfiguration(base.getClassLoader()).configuration(base)
        .locations("classpath:db/migration/" + settings.database())
        .load();
      MessagingSchema.acceptMovedDdl(service, MessagingSchema.SUPERSEDED);
      MigrateResult result = service.migrate();
      MigrateResult messaging = MessagingSchema.migrate(base);
      LOG.info("database {} at schema version {} ({} migrations applied), messaging tables at version {}",
        settings.database(), result.targetSchemaVersion, result.migrationsExecuted, messaging.targetSchemaVersion);
      return null;
    }, false);
  }

  /**
   * The service's pool, made to come back by itself after PostgreSQL restarts: a connection the
   * server closed leaves the pool at once (the next query opens a new one, no stale connection is
   * handed out); opening a connection is bounded by {@link #CONNECT_TIMEOUT_MS} (a hung attempt
   * cannot hold a pool slot for a minute); waiting for one by {@link #ACQUIRE_TIMEOUT_SECONDS};
   * idle connections close after a minute and every connection is renewed after 30 minutes, so a
   * connection whose server side vanished without a word does not live on in the pool. While the
   * database is unreachable, queries fail fast with errors that {@link DatabaseUnavailable} knows.
   */
  public static Pool pool(Vertx vertx, DatabaseSettings settings) {
    PgConnectOptions connect = new PgConnectOptions()
      .setHost(settings.host())
      .setPort(settings.port())
      .setDatabase(settings.database())
      .setUser(settings.user())
      .setPassword(settings.password())
      .setCachePreparedStatements(true)
      .setPipeliningLimit(256);
    PoolOptions pool = new PoolOptions()
      .setMaxSize(settings.poolSize())
      .setMaxWaitQueueSize(settings.maxWaitQueue())
      .setConnectionTimeout(ACQUIRE_TIMEOUT_SECONDS)
      .setConnectionTimeoutUnit(TimeUnit.SECONDS)
      .setIdleTimeout(60)
      .setIdleTimeoutUnit(TimeUnit.SECONDS)
      .setMaxLifetime(30)
      .setMaxLifetimeUnit(TimeUnit.MINUTES)
      .setName(settings.database());
    NetClientOptions net = new NetClientOptions()
      .setConnectTimeout(CONNECT_TIMEOUT_MS)
      .setTcpKeepAlive(true)
      .setTcpNoDelay(true);
    return PgBuilder.pool().with(pool).with(net).connectingTo(connect).using(vertx).build();
  }

  /** Migrates, then opens the pool. */
  public static Future<Pool> open(Vertx vertx, DatabaseSettings settings) {
    return migrate(vertx, settings).map(v -> pool(vertx, settings));
  }
}
