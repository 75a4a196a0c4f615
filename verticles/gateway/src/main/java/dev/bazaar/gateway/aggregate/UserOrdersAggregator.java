package dev.bazaar.gateway.aggregate;

import dev.bazaar.gateway.proxy.Backends;
import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Ids;
import dev.bazaar.platform.http.Json;
import dev.bazaar.platform.http.TraceContext;
import dev.bazaar.platform.resilience.UpstreamRequest;
import dev.bazaar.platform.resilience.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/users/{id}/orders}: the user (user-service), their latest orders
 * (order-service) and each line's current product name (product-service, one batched event-bus
 * lookup), fetched concurrently, each part under its own deadline. A part that fails (down,
 * breaker open, too slow) is left out and named in {@code degraded}; the response still comes.
 */
public record UserOrdersAggregator(Backends backends, long partTimeoutMs) {
  private static final Logger LOG = LoggerFactory.getLogger(UserOrdersAggregator.class);
  public static final String PRODUCT_LOOKUP = "product-service.products.lookup";
  private static final int MAX_ORDERS = 100;
  private static final int MAX_PRODUCTS = 100;

  public void mount(Router router) {
    router.get("/api/v1/users/:id/orders").handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    String userId = ctx.pathParam("id");
    backends.auth().admit(ctx, false)
      .compose(principal -> {
        if (!isUuid(userId) || !principal.mayAccess(userId)) {
          return Future.failedFuture(ApiException.notFound("No user " + userId + "."));
        }
        return aggregate(ctx, userId);
      })
      .onSuccess(body -> Json.send(ctx, 200, body))
      .onFailure(ctx::fail);
  }

  private Future<JsonObject> aggregate(RoutingContext ctx, String userId) {
    Future<UpstreamResponse> user = part(backends.client().send("user-service", get(ctx, "/api/v1/users/" + userId)));
    Future<UpstreamResponse> orders = part(backends.client().send("order-service",
      get(ctx, "/api/v1/orders?size=" + MAX_ORDERS + "&userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8))));
    Future<Map<String, String>> names = orders.compose(response -> productNames(ok(response) ? ordersOf(response) : List.of()));
    return Future.join(user, orders, names).transform(ignored -> {
      if (user.succeeded() && user.result().status() == 404) {
        return Future.failedFuture(ApiException.notFound("No user " + userId + "."));
      }
      JsonArray degraded = new JsonArray();
      JsonObject result = new JsonObject();
      if (user.succeeded() && ok(user.result())) {
        result.put("user", user.result().body().toJsonObject());
      } else {
        degraded.add("user");
        log("user", user);
      }
      if (orders.succeeded() && ok(orders.result())) {
        Map<String, String> productNames = names.succeeded() ? names.result() : Map.of();
        if (names.failed()) {
          degraded.add("products");
          log("products", names);
        }
        result.put("orders", new JsonArray(ordersOf(orders.result()).stream().map(o -> named(o, productNames)).toList()));
      } else {
        degraded.add("orders");
        log("orders", orders);
      }
      return Future.succeededFuture(result.put("degraded", degraded));
    });
  }

  private Future<Map<String, String>> productNames(List<JsonObject> orders) {
    Set<String> ids = orders.stream()
      .flatMap(order -> order.getJsonArray("items", new JsonArray()).stream().map(item -> ((JsonObject) item).getString("productId")))
      .filter(id -> id != null)
      .limit(MAX_PRODUCTS)
      .collect(Collectors.toCollection(LinkedHashSet::new));
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return part(backends.bus().request(PRODUCT_LOOKUP, new JsonObject().put("ids", new JsonArray(List.copyOf(ids))), true))
      .map(reply -> reply.getJsonArray("items", new JsonArray()).stream()
        .map(item -> (JsonObject) item)
        .collect(Collectors.toMap(p -> p.getString("id"), p -> p.getString("name"), (a, b) -> a)));
  }

  private static JsonObject named(JsonObject order, Map<String, String> names) {
    JsonObject copy = order.copy();
    JsonArray items = new JsonArray();
    copy.getJsonArray("items", new JsonArray()).forEach(item -> {
      JsonObject line = ((JsonObject) item).copy();
      String name = names.get(line.getString("productId"));
      if (name != null) {
        line.put("productName", name);
      }
      items.add(line);
    });
    return copy.put("items", items);
  }

  private static List<JsonObject> ordersOf(UpstreamResponse response) {
    return response.body().toJsonObject().getJsonArray("items", new JsonArray()).stream().map(o -> (JsonObject) o).toList();
  }

  private <T> Future<T> part(Future<T> call) {
    return call.timeout(partTimeoutMs, TimeUnit.MILLISECONDS);
  }

  private static UpstreamRequest get(RoutingContext ctx, String uri) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
      .add("Authorization", ctx.request().getHeader("Authorization"))
      .add("Accept", "application/json");
    String traceparent = TraceContext.outgoing(ctx);
    if (traceparent != null) {
      headers.add(TraceContext.HEADER, traceparent);
    }
    return new UpstreamRequest(HttpMethod.GET, uri, headers, null, true);
  }

  private static boolean ok(UpstreamResponse response) {
    return response.status() == 200;
  }

  private static void log(String part, Future<?> outcome) {
    LOG.warn("aggregation part {} missing: {}", part,
      outcome.failed() ? outcome.cause().toString() : "status " + ((UpstreamResponse) outcome.result()).status());
  }

  private static boolean isUuid(String id) {
    return Ids.parse(id).isPresent();
  }
}
