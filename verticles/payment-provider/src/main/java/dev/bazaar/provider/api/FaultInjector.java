package dev.bazaar.provider.api;

import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Problems;
import dev.bazaar.provider.domain.FaultDecision;
import dev.bazaar.provider.domain.FaultSettings;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Injects the configured faults into every {@code /v1} call: latency on a timer (the event loop
 * never waits), 503s before any work (a retry is safe), an outage (503 with Retry-After), and
 * timeouts (the work is done, the answer never comes).
 */
public final class FaultInjector {
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);
  private static final String HOLD_MS = "provider.holdMs";

  private final Vertx vertx;
  private final FaultSettings configured;
  private final ProviderMetrics metrics;
  private volatile FaultSettings current;

  public FaultInjector(Vertx vertx, FaultSettings configured, ProviderMetrics metrics) {
    this.vertx = vertx;
    this.configured = configured;
    this.current = configured;
    this.metrics = metrics;
  }

  /** Intercepts {@code /v1/*}; mount after the admin routes and before the API. */
  public void mount(Router router) {
    router.route("/v1/*").handler(this::intercept);
  }

  public FaultSettings current() {
    return current;
  }

  public FaultSettings configured() {
    return configured;
  }

  public void set(FaultSettings settings) {
    if (!settings.equals(current)) {
      LOG.info("faults now {}", settings);
    }
    current = settings;
  }

  /**
   * A handler that computes its reply with {@code action} (an {@link ApiException} becomes a
   * problem) and delivers it, unless this call was picked for an injected timeout.
   */
  Handler<RoutingContext> handler(Function<RoutingContext, Reply> action) {
    return ctx -> {
      Reply reply;
      try {
        reply = action.apply(ctx);
      } catch (ApiException e) {
        reply = Reply.problem(e);
      }
      deliver(ctx, reply);
    };
  }

  private void intercept(RoutingContext ctx) {
    FaultSettings settings = current;
    FaultDecision decision = settings.decide(ThreadLocalRandom.current());
    if (decision.delayMs() <= 0) {
      apply(ctx, decision, settings);
      return;
    }
    metrics.delayed();
    // the call goes on after the delay even if the caller gave up: like a real, slow processor
    vertx.timer(decision.delayMs(), TimeUnit.MILLISECONDS)
      .onComplete(ignored -> apply(ctx, decision, settings));
  }

  private void apply(RoutingContext ctx, FaultDecision decision, FaultSettings settings) {
    metrics.fault(decision.kind());
    switch (decision.kind()) {
      case OUTAGE -> Problems.send(ctx, new ApiException(503, "provider_outage", "Service unavailable",
        "The payment provider is down (simulated outage); nothing was done. Retry later.", null,
        Map.of("Retry-After", Integer.toString(settings.retryAfterSeconds()))));
      case ERROR -> Problems.send(ctx, new ApiException(503, "provider_unavailable", "Service unavailable",
        "The payment provider failed (injected error) before doing anything; retrying is safe."));
      case TIMEOUT -> {
        ctx.put(HOLD_MS, settings.timeoutMs());
        ctx.next();
      }
      case PASS -> ctx.next();
    }
  }

  private void deliver(RoutingContext ctx, Reply reply) {
    Long holdMs = ctx.get(HOLD_MS);
    if (holdMs == null) {
      reply.send(ctx);
      return;
    }
    // done but never answered: the caller sees silence, then a closed connection
    long timer = vertx.setTimer(holdMs, id -> ctx.response().reset());
    ctx.response().closeHandler(closed -> vertx.cancelTimer(timer));
  }
}
