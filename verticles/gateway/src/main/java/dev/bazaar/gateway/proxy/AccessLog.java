package dev.bazaar.gateway.proxy;

import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.TraceContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One line per request (logger {@code access}, written asynchronously): method, path, route
 * template, status, duration, user and trace id, as JSON fields and as {@code key=value} text.
 * The line is written in the trace context the request came in with, so it carries the request's
 * {@code trace_id} and {@code span_id} even when the server span has already closed.
 */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("access");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    Context trace = Context.current();
    ctx.addEndHandler(ar -> {
      Principal principal = Principal.orNull(ctx);
      try (Scope ignored = trace.makeCurrent()) {
        LOG.info("{} {} {} {} {} {} {}",
          kv("method", ctx.request().method().name()),
          kv("path", ctx.request().path()),
          kv("route", routeOf(ctx)),
          kv("status", ctx.response().getStatusCode()),
          kv("durationMs", (System.nanoTime() - start) / 1_000_000),
          kv("user", principal == null ? "-" : principal.userId()),
          kv("traceId", TraceContext.traceId(ctx)));
      }
    });
    ctx.next();
  }

  // the template of the route that answered (bounded cardinality, unlike the path); "-" for the error handlers
  private static String routeOf(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    return route == null || route.getPath() == null ? "-" : route.getPath();
  }
}
