package dev.bazaar.provider.api;

import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Problems;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer computed but not yet sent: a JSON body or a problem. Handlers return one, so that
 * the {@link FaultInjector} can withhold it (an injected timeout) after the work is done.
 */
final class Reply {
  static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private final int status;
  private final JsonObject body;
  private final ApiException problem;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private Reply(int status, JsonObject body, ApiException problem) {
    this.status = status;
    this.body = body;
    this.problem = problem;
  }

  static Reply json(int status, JsonObject body) {
    return new Reply(status, body, null);
  }

  static Reply problem(ApiException problem) {
    return new Reply(problem.status(), null, problem);
  }

  Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Marks an idempotent replay: the earlier result, nothing new happened. */
  Reply replayed() {
    return header(REPLAYED_HEADER, "true");
  }

  int status() {
    return status;
  }

  void send(RoutingContext ctx) {
    if (problem != null) {
      Problems.send(ctx, problem);
      return;
    }
    headers.forEach(ctx.response()::putHeader);
    ctx.response().setStatusCode(status)
      .putHeader("Content-Type", "application/json")
      .putHeader("Cache-Control", "no-store")
      .end(body.toBuffer());
  }
}
