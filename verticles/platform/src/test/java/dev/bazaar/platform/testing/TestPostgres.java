package dev.bazaar.platform.testing;

import dev.bazaar.platform.config.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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
    EmbeddedPostgres server = server();
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      boolean exists;
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + name + "'");
        s.execute("CREATE DATABASE " + name + " OWNER " + name);
        s.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return new DatabaseSettings("127.0.0.1", server.getPort(), name, name, name, 4, 256);
  }
}
