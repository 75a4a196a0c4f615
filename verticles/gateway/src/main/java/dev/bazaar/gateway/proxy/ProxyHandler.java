package dev.bazaar.gateway.proxy;

import dev.bazaar.gateway.auth.GatewayAuth;
import dev.bazaar.gateway.routes.Route;
import dev.bazaar.gateway.routes.RouteTable;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Problems;
import dev.bazaar.platform.http.TraceContext;
import dev.bazaar.platform.resilience.ServiceClient;
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

import java.util.Set;

/**
 * Forwards a request to the service its route names, through the resilient client (discovery,
 * balancing, breakers, timeouts, retries). The caller's token travels on: every service verifies
 * it again. GET, HEAD, PUT, DELETE and requests with an {@code Idempotency-Key} are idempotent
 * and may be retried on another instance; other requests only when they never left.
 */
public final class ProxyHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "traceparent");
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
    HttpMethod.DELETE, HttpMethod.OPTIONS);

  private final RouteTable routes;
  private final GatewayAuth auth;
  private final ServiceClient client;

  public ProxyHandler(RouteTable routes, GatewayAuth auth, ServiceClient client) {
    this.routes = routes;
    this.auth = auth;
    this.client = client;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Route route = routes.match(request.path())
      .orElseThrow(() -> ApiException.notFound("No resource at " + request.path() + "."));
    if (route.viaEventBus()) {
      throw new ApiException(501, "not-implemented", "Not implemented", "Event-bus routes are not served yet.");
    }
    auth.admit(ctx, route.isPublic(request.method()))
      .compose(principal -> client.send(route.service(), upstreamRequest(ctx)))
      .onSuccess(response -> relay(ctx, response))
      .onFailure(error -> {
        if (!(error instanceof ApiException)) {
          LOG.warn("{} {} to {} failed: {} trace={}", request.method(), request.path(), route.service(), error.toString(),
            TraceContext.traceId(ctx));
        }
        ctx.fail(Problems.fromUpstreamFailure(route.service(), error));
      });
  }

  private static UpstreamRequest upstreamRequest(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request.headers().forEach(header -> {
      if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
        headers.add(header.getKey(), header.getValue());
      }
    });
    headers.set(TraceContext.HEADER, TraceContext.outgoing(ctx));
    if (request.remoteAddress() != null) {
      String forwarded = request.getHeader("X-Forwarded-For");
      String client = request.remoteAddress().hostAddress();
      headers.set("X-Forwarded-For", forwarded == null ? client : forwarded + ", " + client);
    }
    boolean idempotent = IDEMPOTENT.contains(request.method()) || request.getHeader("Idempotency-Key") != null;
    var body = ctx.body() == null || ctx.body().length() == 0 ? null : ctx.body().buffer();
    return new UpstreamRequest(request.method(), request.uri(), headers, body, idempotent);
  }

  private static void relay(RoutingContext ctx, UpstreamResponse upstream) {
    HttpServerResponse response = ctx.response();
    upstream.headers().forEach(header -> {
      if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
        response.headers().add(header.getKey(), header.getValue());
      }
    });
    response.setStatusCode(upstream.status());
    if (upstream.body() == null) {
      response.end();
    } else {
      response.end(upstream.body());
    }
  }
}
