package dev.bazaar.platform.db;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseUnavailableTest {

  @Test
  void whatTheClientSaysWhenTheServerIsDownOrGoingAwayIsUnavailability() {
    assertThat(DatabaseUnavailable.is(new ConnectException("Connection refused: /127.0.0.1:15432"))).isTrue();
    assertThat(DatabaseUnavailable.is(new ConnectTimeoutException("connection timed out"))).isTrue();
    assertThat(DatabaseUnavailable.is(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(DatabaseUnavailable.is(new VertxException("Connection was closed", true))).isTrue();
    assertThat(DatabaseUnavailable.is(new VertxException("Pool closed", true))).isTrue();
    assertThat(DatabaseUnavailable.is(new VertxException("Timeout waiting for connection", true))).isTrue();
    assertThat(DatabaseUnavailable.is(new CompletionException(new ConnectException("Connection refused")))).isTrue();
  }

  @Test
  void serverStatesOfShutdownRecoveryAndConnectionLimitsAreUnavailability() {
    for (String state : new String[] {"57P01", "57P02", "57P03", "53300", "08006", "08001"}) {
      assertThat(DatabaseUnavailable.is(pg(state))).as(state).isTrue();
    }
  }

  @Test
  void aRejectedStatementOrABugIsNot() {
    assertThat(DatabaseUnavailable.is(pg("23505"))).as("unique violation").isFalse();
    assertThat(DatabaseUnavailable.is(pg("42P01"))).as("undefined table").isFalse();
    assertThat(DatabaseUnavailable.is(pg("40001"))).as("serialization failure").isFalse();
    assertThat(DatabaseUnavailable.is(new IllegalStateException("boom"))).isFalse();
    assertThat(DatabaseUnavailable.is(new NullPointerException())).isFalse();
    assertThat(DatabaseUnavailable.is(null)).isFalse();
  }

  private static PgException pg(String state) {
    return new PgException("message", "FATAL", state, null);
  }
}
