package dev.bazaar.gateway.proxy;

import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * One line per request: method, path, route template, status, duration, user and trace id, with
 * the {@code trace_id} and {@code span_id} of the request's span (read when the request comes in,
 * so they are right even when the server span has already closed). The line is queued to an
 * {@link AccessLogWriter}, which formats and writes lines in batches on its own thread.
 */
public final class AccessLog implements Handler<RoutingContext> {
  private final AccessLogWriter writer;

  public AccessLog(AccessLogWriter writer) {
    this.writer = writer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    SpanContext span = Span.current().getSpanContext();
    ctx.addEndHandler(ar -> {
      Principal principal = Principal.orNull(ctx);
      boolean valid = span.isValid();
      writer.write(new AccessLogWriter.Entry(System.currentTimeMillis(), Thread.currentThread().getName(),
        ctx.request().method().name(), ctx.request().path(), routeOf(ctx), ctx.response().getStatusCode(),
        (System.nanoTime() - start) / 1_000_000, principal == null ? "-" : principal.userId(), TraceContext.traceId(ctx),
        valid ? span.getTraceId() : null, valid ? span.getSpanId() : null));
    });
    ctx.next();
  }

  // the template of the route that answered (bounded cardinality, unlike the path); "-" for the error handlers
  private static String routeOf(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    return route == null || route.getPath() == null ? "-" : route.getPath();
  }
}
