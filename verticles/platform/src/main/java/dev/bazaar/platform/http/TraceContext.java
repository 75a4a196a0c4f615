package dev.bazaar.platform.http;

import dev.bazaar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context of a request: answers with this hop's {@code traceparent} so a client can
 * find its trace, and keeps the ids for problem bodies and logs. With tracing on, that is the
 * server span Vert.x opened; with tracing off, an incoming trace id is continued (or one made up).
 */
public final class TraceContext implements Handler<RoutingContext> {
  public static final String HEADER = "traceparent";
  private static final String TRACE_ID = "bazaar.traceId";
  private static final String SPAN_ID = "bazaar.spanId";
  private static final String SPAN_NAME = "bazaar.spanName";
  private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
  private static final String INVALID_TRACE = "00000000000000000000000000000000";

  @Override
  public void handle(RoutingContext ctx) {
    Span current = Span.current();
    SpanContext span = current.getSpanContext();
    if (span.isValid()) {
      // the server span Vert.x opened for this request (continuing the caller's traceparent)
      ctx.put(TRACE_ID, span.getTraceId());
      ctx.put(SPAN_ID, span.getSpanId());
      ctx.response().putHeader(HEADER, Tracing.format(span));
      // named like "GET /api/v1/orders/:id" (Vert.x names it by method only), once the route is known
      ctx.addHeadersEndHandler(v -> current.updateName(spanName(ctx)));
    } else {
      String traceId = traceIdOf(ctx.request().getHeader(HEADER));
      String spanId = randomHex(8);
      ctx.put(TRACE_ID, traceId);
      ctx.put(SPAN_ID, spanId);
      ctx.response().putHeader(HEADER, "00-" + traceId + "-" + spanId + "-01");
    }
    ctx.next();
  }

  /** Names this request's server span (the gateway: by its routing-table entry), instead of by route template. */
  public static void nameSpan(RoutingContext ctx, String name) {
    ctx.put(SPAN_NAME, name);
  }

  private static String spanName(RoutingContext ctx) {
    String named = ctx.get(SPAN_NAME);
    if (named != null) {
      return named;
    }
    var route = ctx.currentRoute();
    String template = route == null ? null : route.getPath();
    return ctx.request().method().name() + " " + (template == null ? "(unrouted)" : template);
  }

  /** The trace id a {@code traceparent} continues, or a new one when it is absent or invalid. */
  public static String traceIdOf(String traceparent) {
    if (traceparent != null) {
      var matcher = TRACEPARENT.matcher(traceparent);
      if (matcher.matches() && !INVALID_TRACE.equals(matcher.group(1))) {
        return matcher.group(1);
      }
    }
    return randomHex(16);
  }

  public static String traceId(RoutingContext ctx) {
    String id = ctx.get(TRACE_ID);
    return id == null ? INVALID_TRACE : id;
  }

  /**
   * The {@code traceparent} to send on a call made while handling {@code ctx}, or null when the
   * call is traced (Vert.x's HTTP client and event bus then send the client span's own).
   */
  public static String outgoing(RoutingContext ctx) {
    if (Tracing.enabled()) {
      return null;
    }
    String spanId = ctx.get(SPAN_ID);
    return "00-" + traceId(ctx) + "-" + (spanId == null ? randomHex(8) : spanId) + "-01";
  }

  private static String randomHex(int bytes) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder out = new StringBuilder(bytes * 2);
    for (int i = 0; i < bytes; i++) {
      int b = random.nextInt(256);
      out.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return out.toString();
  }
}
