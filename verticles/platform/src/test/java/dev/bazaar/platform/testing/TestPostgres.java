package dev.bazaar.platform.testing;

import dev.bazaar.platform.config.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A real PostgreSQL 17 for integration tests, one per test JVM, started on first use. Each
 * service gets its own database and login role, as in production, and no other role may connect.
 */
public final class TestPostgres {
  private static EmbeddedPostgres postgres;

  private TestPostgres() {
  }

  public static synchronized EmbeddedPostgres server() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start embedded PostgreSQL", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException ignored) {
          // the JVM is going away
        }
      }));
    }
    return postgres;
  }

  /** Creates (once) database and role {@code name} with password {@code name}, owned by that role only. */
  public static synchronized DatabaseSettings database(String name) {
    return PostgresServer.provision(server(), name);
  }

  /** The first column of the first row of {@code sql} (a count), as {@code db}'s own role, over plain JDBC. */
  public static long count(DatabaseSettings db, String sql, Object... params) {
    try (Connection c = jdbc(db); PreparedStatement s = prepare(c, sql, params); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code sql} as {@code db}'s own role, over plain JDBC; answers the rows it changed (-1 for a query). */
  public static int execute(DatabaseSettings db, String sql, Object... params) {
    try (Connection c = jdbc(db); PreparedStatement s = prepare(c, sql, params)) {
      s.execute();
      return s.getUpdateCount();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Connection jdbc(DatabaseSettings db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
    return s;
  }
}
