package dev.bazaar.platform.db;

import dev.bazaar.platform.config.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service's own PostgreSQL: schema migrations (Flyway, off the event loop) and the reactive pool. */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private Database() {
  }

  /**
   * Applies the versioned migrations under {@code classpath:db/migration/<database>} (one folder per
   * service, so that services deployed together in one JVM never see each other's migrations).
   * Runs on a worker thread; Flyway's lock in the database makes concurrent starts safe.
   */
  public static Future<Void> migrate(Vertx vertx, DatabaseSettings settings) {
    return vertx.executeBlocking(() -> {
      MigrateResult result = Flyway.configure(Database.class.getClassLoader())
        .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
        .locations("classpath:db/migration/" + settings.database())
        .connectRetries(10)
        .load()
        .migrate();
      LOG.info("database {} at schema version {} ({} migrations applied)",
        settings.database(), result.targetSchemaVersion, result.migrationsExecuted);
      return null;
    }, false);
  }

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
      .setConnectionTimeout(5)
      .setIdleTimeout(60)
      .setName(settings.database());
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /** Migrates, then opens the pool. */
  public static Future<Pool> open(Vertx vertx, DatabaseSettings settings) {
    return migrate(vertx, settings).map(v -> pool(vertx, settings));
  }
}
