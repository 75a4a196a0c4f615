package dev.bazaar.platform.db;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a failure that means "the database cannot be reached right now" (PostgreSQL down,
 * restarting, in crash recovery, out of connections; the pool closed or waiting in vain for a
 * connection) from one that means a bug or a rejected statement. The first is transient: an
 * HTTP request gets 503 with {@code Retry-After}, a consumer retries the same event later.
 */
public final class DatabaseUnavailable {
  /**
   * SQLSTATEs of a server that is going away or not there yet: connection exceptions (class 08),
   * {@code admin_shutdown}, {@code crash_shutdown}, {@code cannot_connect_now} (starting up, in
   * recovery), {@code too_many_connections}.
   */
  private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");
  /** What Vert.x's pools and sockets say when the connection is gone (they fail with plain VertxExceptions). */
  private static final String[] UNAVAILABLE_MESSAGES = {
    "connection refused", "connection was closed", "connection is closed", "connection reset",
    "pool closed", "timeout waiting for connection", "broken pipe"};
  private static final int MAX_DEPTH = 10;

  private DatabaseUnavailable() {
  }

  /** Is {@code failure} (or one of its causes) the database being unreachable? */
  public static boolean is(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      if (unavailable(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static boolean unavailable(Throwable t) {
    if (t instanceof PgException pg) {
      String state = pg.getSqlState();
      return state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
    }
    if (t instanceof ClosedConnectionException || t instanceof ConnectException || t instanceof NoRouteToHostException
      || t instanceof UnknownHostException || t instanceof ClosedChannelException) {
      return true;
    }
    if (t instanceof IOException || t instanceof io.vertx.core.VertxException) {
      String message = t.getMessage();
      if (message != null) {
        String lower = message.toLowerCase(Locale.ROOT);
        for (String known : UNAVAILABLE_MESSAGES) {
          if (lower.contains(known)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
