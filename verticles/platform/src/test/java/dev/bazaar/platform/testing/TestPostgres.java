package dev.bazaar.platform.testing;

import dev.bazaar.platform.config.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;

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
}
