package dev.bazaar.platform.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import dev.bazaar.platform.discovery.ClusterMembership;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /health/live} (the process answers and no liveness check fails: a JVM that cannot get
 * well without a restart, such as a wedged data grid) and {@code /health/ready} (every readiness
 * check passes within its deadline: own database, cluster, required dependencies).
 */
public final class Health {
  private static final long CHECK_TIMEOUT_MS = 2000;
  private final Map<String, Supplier<Future<?>>> checks = new LinkedHashMap<>();
  private final Map<String, Supplier<Future<?>>> liveChecks = new LinkedHashMap<>();

  public Health check(String name, Supplier<Future<?>> check) {
    checks.put(name, check);
    return this;
  }

  /** A check that fails only when the process must be restarted to get well (an orchestrator's liveness probe). */
  public Health liveness(String name, Supplier<Future<?>> check) {
    liveChecks.put(name, check);
    return this;
  }

  public Health database(Pool pool) {
    return check("database", () -> pool.query("SELECT 1").execute());
  }

  public Health cluster(Vertx vertx, ClusterMembership membership) {
    return check("cluster", () -> vertx.isClustered() && !membership.active()
      ? Future.failedFuture("not an active cluster member")
      : Future.succeededFuture());
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> respond(ctx, evaluate(liveChecks)));
    router.get("/health/ready").handler(ctx -> respond(ctx, evaluate()));
  }

  public Future<JsonObject> evaluate() {
    return evaluate(checks);
  }

  private static Future<JsonObject> evaluate(Map<String, Supplier<Future<?>>> checks) {
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<?>> results = names.stream()
      .map(name -> safely(checks.get(name)).timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS))
      .<Future<?>>map(f -> f)
      .toList();
    return Future.join(results).transform(ignored -> {
      JsonObject details = new JsonObject();
      boolean up = true;
      for (int i = 0; i < names.size(); i++) {
        Future<?> result = results.get(i);
        if (result.succeeded()) {
          details.put(names.get(i), new JsonObject().put("status", "UP"));
        } else {
          up = false;
          details.put(names.get(i), new JsonObject().put("status", "DOWN").put("reason", String.valueOf(result.cause().getMessage())));
        }
      }
      return Future.succeededFuture(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details));
    });
  }

  private static void respond(RoutingContext ctx, Future<JsonObject> evaluated) {
    evaluated.onSuccess(report -> send(ctx, "UP".equals(report.getString("status")) ? 200 : 503, report));
  }

  private static Future<?> safely(Supplier<Future<?>> check) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .putHeader("Cache-Control", "no-store").end(body.toBuffer());
  }
}
