package dev.bazaar.platform.eventbus;

import dev.bazaar.platform.http.ApiException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class BusProblemsTest {

  @Test
  void anUnreachableDatabaseIsA503WithRetryAfterNotAnInternalError() {
    for (Throwable failure : new Throwable[] {new ConnectException("Connection refused"), ClosedConnectionException.INSTANCE}) {
      ApiException problem = BusProblems.known(failure);
      assertThat(problem).isNotNull();
      assertThat(problem.status()).isEqualTo(503);
      assertThat(problem.headers()).containsKey("Retry-After");
      BusReply reply = BusProblems.reply(problem, "/x", "trace");
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.headers()).containsEntry("Content-Type", "application/problem+json").containsKey("Retry-After");
      assertThat(reply.body().toString()).doesNotContain("refused").doesNotContain("Exception");
    }
  }

  @Test
  void aBugStaysUnknown() {
    assertThat(BusProblems.known(new IllegalStateException("boom"))).isNull();
  }
}
