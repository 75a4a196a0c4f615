package dev.bazaar.provider.api;

import dev.bazaar.platform.http.Json;
import dev.bazaar.platform.http.Validation;
import dev.bazaar.provider.domain.FaultSettings;
import io.vertx.core.json.JsonObject;
import dev.bazaar.platform.http.OpsAccess;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.math.BigInteger;
import java.util.List;

/**
 * Fault injection at runtime, for demos and tests (unauthenticated: the simulator listens on
 * loopback only by default):
 * <pre>
 * GET    /admin/faults        → 200 the faults in force
 * POST   /admin/faults {...}  → 200 the faults in force after changing the given fields (others stay)
 * DELETE /admin/faults        → 200 back to the configured faults
 * </pre>
 * Fields: latencyMs, latencyJitterMs (0..60000), errorRate, timeoutRate (0.0..1.0, sum ≤ 1),
 * timeoutMs (100..600000), outage (boolean), retryAfterSeconds (1..3600).
 */
public final class AdminApi {
  static final List<String> FIELDS = List.of("latencyMs", "latencyJitterMs", "errorRate", "timeoutRate", "timeoutMs",
    "outage", "retryAfterSeconds");

  private final FaultInjector faults;

  public AdminApi(FaultInjector faults) {
    this.faults = faults;
  }

  /** Under {@code /admin/*}, for operations only: loopback callers or the operations token ({@link OpsAccess}). */
  public void mount(Router router) {
    router.route("/admin/*").handler(OpsAccess.fromEnvironment());
    router.get("/admin/faults").handler(ctx -> Json.send(ctx, 200, json(faults.current())));
    router.post("/admin/faults").handler(this::change);
    router.delete("/admin/faults").handler(ctx -> {
      faults.set(faults.configured());
      Json.send(ctx, 200, json(faults.current()));
    });
  }

  private void change(RoutingContext ctx) {
    faults.set(merge(faults.current(), Json.body(ctx)));
    Json.send(ctx, 200, json(faults.current()));
  }

  /** {@code base} with the fields of {@code changes}; every invalid field is reported (400 validation). */
  static FaultSettings merge(FaultSettings base, JsonObject changes) {
    Validation validation = new Validation();
    for (String field : changes.fieldNames()) {
      if (!FIELDS.contains(field)) {
        validation.reject(field, "is not a fault setting; known: " + String.join(", ", FIELDS));
      }
    }
    long latencyMs = whole(validation, changes, "latencyMs", base.latencyMs(), 0, FaultSettings.MAX_LATENCY_MS);
    long jitterMs = whole(validation, changes, "latencyJitterMs", base.latencyJitterMs(), 0, FaultSettings.MAX_LATENCY_MS);
    double errorRate = rate(validation, changes, "errorRate", base.errorRate());
    double timeoutRate = rate(validation, changes, "timeoutRate", base.timeoutRate());
    long timeoutMs = whole(validation, changes, "timeoutMs", base.timeoutMs(), FaultSettings.MIN_TIMEOUT_MS, FaultSettings.MAX_TIMEOUT_MS);
    boolean outage = base.outage();
    if (changes.containsKey("outage")) {
      if (changes.getValue("outage") instanceof Boolean b) {
        outage = b;
      } else {
        validation.reject("outage", "must be true or false");
      }
    }
    long retryAfter = whole(validation, changes, "retryAfterSeconds", base.retryAfterSeconds(), 1, FaultSettings.MAX_RETRY_AFTER_SECONDS);
    if (validation.ok() && errorRate + timeoutRate > 1.0 + 1e-9) {
      validation.reject("timeoutRate", "errorRate + timeoutRate must be at most 1.0");
    }
    validation.check();
    return new FaultSettings(latencyMs, jitterMs, errorRate, timeoutRate, timeoutMs, outage, (int) retryAfter);
  }

  static JsonObject json(FaultSettings settings) {
    return new JsonObject()
      .put("latencyMs", settings.latencyMs())
      .put("latencyJitterMs", settings.latencyJitterMs())
      .put("errorRate", settings.errorRate())
      .put("timeoutRate", settings.timeoutRate())
      .put("timeoutMs", settings.timeoutMs())
      .put("outage", settings.outage())
      .put("retryAfterSeconds", settings.retryAfterSeconds());
  }

  private static long whole(Validation validation, JsonObject changes, String field, long current, long min, long max) {
    if (!changes.containsKey(field)) {
      return current;
    }
    Object value = changes.getValue(field);
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= min && ((Number) value).longValue() <= max) {
      return ((Number) value).longValue();
    }
    validation.reject(field, "must be an integer from " + min + " to " + max);
    return current;
  }

  private static double rate(Validation validation, JsonObject changes, String field, double current) {
    if (!changes.containsKey(field)) {
      return current;
    }
    Object value = changes.getValue(field);
    if (value instanceof Number number && !(value instanceof BigInteger) && FaultSettings.isRate(number.doubleValue())) {
      return number.doubleValue();
    }
    validation.reject(field, "must be a number from 0.0 to 1.0");
    return current;
  }
}
