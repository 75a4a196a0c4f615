package dev.bazaar.gateway.proxy;

import dev.bazaar.gateway.routes.Route;
import dev.bazaar.gateway.routes.RouteTable;
import dev.bazaar.platform.eventbus.BusReply;
import dev.bazaar.platform.eventbus.BusRequest;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Json;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import dev.bazaar.platform.http.Problems;
import dev.bazaar.platform.http.TraceContext;
import dev.bazaar.platform.resilience.UpstreamRequest;
import dev.bazaar.platform.resilience.UpstreamResponse;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Forwards a request to the service its route names, through the resilient client (discovery,
 * balancing, breakers, timeouts, retries), or translates it onto the event bus for a route with an
 * address. The caller's token travels on: every service verifies
 * it again. GET, HEAD, PUT, DELETE and requests with an {@code Idempotency-Key} are idempotent
 * and may be retried on another instance; other requests only when they never left.
 */
public final class ProxyHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  // case-insensitive, so a header name is looked up as it came, without a lower-cased copy per header
  private static final Set<String> HOP_BY_HOP = hopByHop("connection", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "traceparent");
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
    HttpMethod.DELETE, HttpMethod.OPTIONS);

  private final RouteTable routes;
  private final Backends backends;

  public ProxyHandler(RouteTable routes, Backends backends) {
    this.routes = routes;
    this.backends = backends;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // the normalized path (dot segments, %2e%2e and // resolved) chooses the route and is what
    // travels on: the service sees the very path the gateway authorized
    String path = ctx.normalizedPath();
    Route route = routes.match(path)
      .orElseThrow(() -> ApiException.notFound("No resource at " + path + "."));
    String target = route.viaEventBus() ? route.address() : route.service();
    // bounded names for metrics and the trace: the routing table's prefix, never the raw path
    request.routed(route.prefix());
    TraceContext.nameSpan(ctx, request.method().name() + " " + route.prefix());
    Future<Void> forwarded = backends.auth().admit(ctx, route.isPublic(request.method()))
      .compose(principal -> route.viaEventBus()
        ? backends.bus().request(route.address(), busRequest(ctx).toJson(), idempotent(request)).map(reply -> relay(ctx, BusReply.fromJson(reply)))
        : backends.client().send(route.service(), upstreamRequest(ctx, route.timeoutMs())).map(response -> relay(ctx, response)));
    forwarded.onFailure(error -> {
      if (!(error instanceof ApiException)) {
        if (error instanceof RuntimeException && !(error instanceof io.vertx.core.VertxException)) {
          LOG.error("{} {} to {} failed trace={}", request.method(), request.path(), target, TraceContext.traceId(ctx), error);
        } else {
          LOG.warn("{} {} to {} failed: {} trace={}", request.method(), request.path(), target, error.toString(),
            TraceContext.traceId(ctx));
        }
      }
      ctx.fail(Problems.fromUpstreamFailure(target, error));
    });
  }

  /**
   * Protocol translation: the HTTP request as a {@link BusRequest} for a service that answers on
   * the event bus. Only the headers a service needs travel; the token is verified there again.
   */
  private static BusRequest busRequest(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Map<String, String> query = new TreeMap<>();
    request.params().forEach(param -> query.putIfAbsent(param.getKey(), param.getValue()));
    Map<String, String> headers = new TreeMap<>();
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      headers.put("authorization", authorization);
    }
    String traceparent = TraceContext.outgoing(ctx);
    if (traceparent != null) {
      headers.put(TraceContext.HEADER, traceparent);
    }
    JsonObject body = Json.hasBody(ctx) ? Json.body(ctx) : null;
    return new BusRequest(request.method().name(), ctx.normalizedPath(), query, headers, body);
  }

  private static Void relay(RoutingContext ctx, BusReply reply) {
    HttpServerResponse response = ctx.response();
    reply.headers().forEach(response::putHeader);
    response.setStatusCode(reply.status());
    if (reply.body() == null) {
      response.end();
    } else {
      response.end(reply.body().toBuffer());
    }
    return null;
  }

  private static Set<String> hopByHop(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return Collections.unmodifiableSet(set);
  }

  private static boolean idempotent(HttpServerRequest request) {
    return IDEMPOTENT.contains(request.method()) || request.getHeader("Idempotency-Key") != null;
  }

  private static UpstreamRequest upstreamRequest(RoutingContext ctx, long timeoutMs) {
    HttpServerRequest request = ctx.request();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request.headers().forEach(header -> {
      if (!HOP_BY_HOP.contains(header.getKey())) {
        headers.add(header.getKey(), header.getValue());
      }
    });
    String traceparent = TraceContext.outgoing(ctx);
    if (traceparent != null) {
      headers.set(TraceContext.HEADER, traceparent);
    }
    if (request.remoteAddress() != null) {
      String forwarded = request.getHeader("X-Forwarded-For");
      String client = request.remoteAddress().hostAddress();
      headers.set("X-Forwarded-For", forwarded == null ? client : forwarded + ", " + client);
    }
    var body = Json.hasBody(ctx) ? ctx.body().buffer() : null;
    String query = request.query();
    String uri = query == null ? ctx.normalizedPath() : ctx.normalizedPath() + "?" + query;
    return new UpstreamRequest(request.method(), uri, headers, body, idempotent(request), timeoutMs);
  }

  private static Void relay(RoutingContext ctx, UpstreamResponse upstream) {
    HttpServerResponse response = ctx.response();
    MultiMap responseHeaders = response.headers();
    upstream.headers().forEach(header -> {
      if (!HOP_BY_HOP.contains(header.getKey())) {
        responseHeaders.add(header.getKey(), header.getValue());
      }
    });
    response.setStatusCode(upstream.status());
    if (upstream.body() == null) {
      response.end();
    } else {
      response.end(upstream.body());
    }
    return null;
  }
}
