package dev.bazaar.platform.testing;

import dev.bazaar.platform.eventbus.BusReply;
import dev.bazaar.platform.http.Problems;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;

/** The check that an event-bus reply is a complete problem, as every refusal on the bus must be. */
public final class BusProblems {
  private BusProblems() {
  }

  /** Asserts that {@code reply} is a problem of {@code status} about {@code path}, with a trace id; returns the problem for further checks. */
  public static JsonObject assertProblem(BusReply reply, int status, String path) {
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.headers()).containsEntry("Content-Type", Problems.CONTENT_TYPE);
    JsonObject problem = reply.body();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).startsWith(Problems.TYPE_BASE);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(problem.getString("instance")).isEqualTo(path);
    assertThat(problem.getString("traceId")).matches("[0-9a-f]{32}");
    return problem;
  }
}
