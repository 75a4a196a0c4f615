package dev.bazaar.platform.testing;

import dev.bazaar.platform.config.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 17 of its own (zonky's binaries) that a test can kill ({@code SIGKILL} of the
 * postmaster, as {@code kill -9}) and restart on the same port and data directory: PostgreSQL
 * then runs crash recovery, as after a real crash. Commits are synchronous, so a committed row
 * survives the kill.
 */
public final class PostgresServer implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres postgres;
  private boolean closed;

  private PostgresServer(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** Starts a new server in a temporary directory; stopped and deleted by {@link #close()} or when the JVM exits. */
  public static PostgresServer start() {
    PostgresServer server;
    try {
      server = new PostgresServer(Files.createTempDirectory("bazaar-test-pg"), KafkaBroker.freePorts(1)[0]);
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare a test PostgreSQL", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-test-postgres"));
    server.launch();
    return server;
  }

  public int port() {
    return port;
  }

  /** Creates (once) database and role {@code name} with password {@code name}, owned by that role only. */
  public synchronized DatabaseSettings database(String name) {
    return provision(running(), name);
  }

  /**
   * Kills the postmaster with {@code SIGKILL} and waits until its backends are gone too (they exit
   * when they notice the postmaster died; any left after 10 s are killed the same way).
   */
  public synchronized void kill() {
    Optional<ProcessHandle> postmaster = postmaster();
    if (postmaster.isEmpty()) {
      throw new IllegalStateException("no running postmaster in " + dataDir);
    }
    List<ProcessHandle> backends = postmaster.get().descendants().toList();
    postmaster.get().destroyForcibly();
    awaitGone(List.of(postmaster.get()), Duration.ofSeconds(10));
    if (!awaitGone(backends, Duration.ofSeconds(10))) {
      backends.forEach(ProcessHandle::destroyForcibly);
      awaitGone(backends, Duration.ofSeconds(10));
    }
  }

  /** Starts PostgreSQL again on the same port and data (crash recovery runs); returns once it accepts connections. */
  public synchronized void restart() {
    if (postmaster().isPresent()) {
      throw new IllegalStateException("PostgreSQL is running: kill() it first");
    }
    closeQuietly(); // releases zonky's lock on the data directory
    launch();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly();
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException ignored) {
      // best effort: it is a temporary directory
    }
  }

  /** Creates (once) database and role {@code name} on {@code server}; no other role may connect to it. */
  static DatabaseSettings provision(EmbeddedPostgres server, String name) {
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

  private EmbeddedPostgres running() {
    if (postgres == null) {
      throw new IllegalStateException("PostgreSQL is not running");
    }
    return postgres;
  }

  private void launch() {
    try {
      postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir.toFile())
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(60))
        // zonky turns synchronous_commit off: a kill would then lose commits the test saw succeed
        .setServerConfig("synchronous_commit", "on")
        .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL in " + dataDir, e);
    }
  }

  private void closeQuietly() {
    EmbeddedPostgres pg = postgres;
    postgres = null;
    if (pg != null) {
      try {
        pg.close();
      } catch (IOException ignored) {
        // a killed server cannot be stopped: closing still releases the data directory
      }
    }
  }

  private Optional<ProcessHandle> postmaster() {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty()
        : ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean awaitGone(List<ProcessHandle> processes, Duration timeout) {
    try {
      CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }
}
