package dev.bazaar.order.api;

import dev.bazaar.platform.http.Ids;
import dev.bazaar.order.client.ProductCatalog;
import dev.bazaar.order.domain.CancellationReason;
import dev.bazaar.order.domain.ExistingOrder;
import dev.bazaar.order.domain.IdempotencyKey;
import dev.bazaar.order.domain.NewOrder;
import dev.bazaar.order.domain.Order;
import dev.bazaar.order.domain.OrderRequest;
import dev.bazaar.order.domain.OrderStatus;
import dev.bazaar.order.domain.PriceQuote;
import dev.bazaar.order.store.OrderStore;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Json;
import dev.bazaar.platform.http.PageRequest;
import dev.bazaar.platform.http.TraceContext;
import dev.bazaar.platform.http.Validation;
import dev.bazaar.platform.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/orders}, {@code GET /api/v1/orders}, {@code GET /api/v1/orders/{id}} and
 * {@code POST /api/v1/orders/{id}/cancel}. Another user's order is as absent as a missing one.
 */
public final class OrdersApi {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final int DEFAULT_PAGE_SIZE = 20;

  private final OrderStore orders;
  private final ProductCatalog catalog;
  private final AuthHandler auth;
  private final Pattern paymentTokens;
  private final Sealer paymentTokenSeal;

  public OrdersApi(OrderStore orders, ProductCatalog catalog, AuthHandler auth, Pattern paymentTokens, Sealer paymentTokenSeal) {
    this.orders = orders;
    this.catalog = catalog;
    this.auth = auth;
    this.paymentTokens = paymentTokens;
    this.paymentTokenSeal = paymentTokenSeal;
  }

  public void mount(Router router) {
    router.post("/api/v1/orders").handler(auth).handler(this::place);
    router.get("/api/v1/orders").handler(auth).handler(this::list);
    router.get("/api/v1/orders/:id").handler(auth).handler(this::byId);
    router.post("/api/v1/orders/:id/cancel").handler(auth).handler(this::cancel);
  }

  /** The answer to a placed order: 202 with its id, also for a retry that found the order already placed. */
  private record Accepted(UUID id, OrderStatus status, boolean replayed) {
  }

  private void place(RoutingContext ctx) {
    UUID caller = callerId(ctx);
    Optional<IdempotencyKey> key = idempotencyKey(ctx);
    OrderRequest request = OrderRequestJson.parse(jsonBody(ctx), paymentTokens);
    String fingerprint = request.fingerprint();
    key.map(k -> orders.byIdempotencyKey(caller, k)).orElseGet(() -> Future.succeededFuture(Optional.empty()))
      .compose(existing -> existing.isPresent()
        ? replay(existing.get(), fingerprint)
        : priceAndStore(ctx, caller, request, key, fingerprint))
      .onSuccess(accepted -> {
        ctx.response().putHeader("Location", "/api/v1/orders/" + accepted.id());
        if (accepted.replayed()) {
          ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        Json.send(ctx, 202, new JsonObject().put("id", accepted.id().toString()).put("status", accepted.status().name()));
      })
      .onFailure(ctx::fail);
  }

  private Future<Accepted> priceAndStore(RoutingContext ctx, UUID caller, OrderRequest request, Optional<IdempotencyKey> key,
                                         String fingerprint) {
    return catalog.prices(request.productIds(), TraceContext.outgoing(ctx))
      .compose(prices -> {
        PriceQuote quote = PriceQuote.of(request, prices);
        if (quote instanceof PriceQuote.UnknownProducts unknown) {
          return Future.failedFuture(unknownProducts(request, unknown));
        }
        if (quote instanceof PriceQuote.MixedCurrencies mixed) {
          return Future.failedFuture(new ApiException(400, "mixed-currencies", "Invalid request",
            "The products are priced in different currencies (" + String.join(", ", new TreeSet<>(mixed.currencies()))
              + "); order them separately."));
        }
        // OrderCreated goes out in the order's own transaction, continuing this request's trace
        return orders.place(NewOrder.of(caller, request, (PriceQuote.Priced) quote, key, paymentTokenSeal::seal), TraceContext.outgoing(ctx));
      })
      .compose(placement -> placement instanceof OrderStore.Placement.Created created
        ? Future.succeededFuture(new Accepted(created.order().id(), created.order().status(), false))
        // a concurrent retry under the same key stored it first
        : replay(((OrderStore.Placement.AlreadyPlaced) placement).existing(), fingerprint));
  }

  private static Future<Accepted> replay(ExistingOrder existing, String fingerprint) {
    return existing.isRetryOf(fingerprint)
      ? Future.succeededFuture(new Accepted(existing.id(), existing.status(), true))
      : Future.failedFuture(new ApiException(422, "idempotency-key-reused", "Unprocessable content",
        "This Idempotency-Key was already used for a different order request; use a new key for a new order."));
  }

  private static ApiException unknownProducts(OrderRequest request, PriceQuote.UnknownProducts unknown) {
    JsonArray errors = new JsonArray();
    for (int i = 0; i < request.lines().size(); i++) {
      UUID productId = request.lines().get(i).productId();
      if (unknown.productIds().contains(productId)) {
        errors.add(new JsonObject().put("field", "items[" + i + "].productId").put("message", "unknown product " + productId));
      }
    }
    return new ApiException(400, "unknown-product", "Invalid request",
      "Unknown product" + (unknown.productIds().size() > 1 ? "s " : " ")
        + String.join(", ", unknown.productIds().stream().map(UUID::toString).toList()) + ".", errors, null);
  }

  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    PageRequest page = PageRequest.from(ctx, DEFAULT_PAGE_SIZE);
    Validation validation = new Validation();
    String statusParam = ctx.queryParams().get("status");
    OrderStatus status = null;
    if (statusParam != null && !statusParam.isEmpty()) {
      status = OrderStatus.parse(statusParam).orElse(null);
      if (status == null) {
        validation.reject("status", "must be one of " + Arrays.toString(OrderStatus.values()));
      }
    }
    String userParam = ctx.queryParams().get("userId");
    Optional<UUID> requestedUser = Optional.empty();
    if (userParam != null && !userParam.isEmpty()) {
      requestedUser = Ids.parse(userParam);
      if (requestedUser.isEmpty()) {
        validation.reject("userId", "must be a user id (UUID)");
      }
    }
    validation.check();
    UUID userId;
    if (principal.isAdmin()) {
      userId = requestedUser.orElse(null); // none: every user's orders
    } else {
      userId = callerId(ctx);
      if (requestedUser.isPresent() && !requestedUser.get().equals(userId)) {
        throw ApiException.forbidden("Only admins may list another user's orders.");
      }
    }
    orders.list(userId, status, page.offset(), page.size())
      .onSuccess(found -> Json.send(ctx, 200, page.toJson(found.items().stream().map(OrderJson::of).toList(), found.total())))
      .onFailure(ctx::fail);
  }

  private void byId(RoutingContext ctx) {
    visibleOrder(ctx)
      .onSuccess(order -> Json.send(ctx, 200, OrderJson.of(order)))
      .onFailure(ctx::fail);
  }

  /**
   * PENDING or CONFIRMED → CANCELLED ({@code cancelled_by_user}), announced by {@code OrderCancelled}
   * in the same transaction: inventory releases the reservation, payment refunds a charge. The row
   * lock decides between concurrent cancels (and saga events): one 202, the others 409.
   */
  private void cancel(RoutingContext ctx) {
    visibleOrder(ctx)
      .compose(order -> orders.cancel(order.id(), CancellationReason.CANCELLED_BY_USER, TraceContext.outgoing(ctx)))
      .compose(outcome -> outcome.isEmpty()
        ? Future.failedFuture(ApiException.notFound("No order " + ctx.pathParam("id") + "."))
        : outcome.get().cancelled() ? visibleOrder(ctx) : Future.failedFuture(notCancellable(outcome.get().found())))
      .onSuccess(order -> Json.send(ctx, 202, OrderJson.of(order)))
      .onFailure(ctx::fail);
  }

  private static ApiException notCancellable(OrderStatus status) {
    return ApiException.conflict("order-not-cancellable", "The order is " + status + " and cannot be cancelled.");
  }

  /** The order of the path, if the caller may see it; otherwise a 404, whether it exists or not. */
  private Future<Order> visibleOrder(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Principal principal = Principal.of(ctx);
    return Ids.parse(id)
      .map(orders::byId)
      .orElseGet(() -> Future.succeededFuture(Optional.empty()))
      .compose(found -> found.filter(order -> principal.mayAccess(order.userId().toString()))
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("No order " + id + "."))));
  }

  /** {@link Json#body}, except that an empty body is a 400 too (Json.body lets it through as a 500). */
  private static JsonObject jsonBody(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null) {
      throw ApiException.badRequest("A JSON object body is required.");
    }
    return Json.body(ctx);
  }

  private static UUID callerId(RoutingContext ctx) {
    return Ids.parse(Principal.of(ctx).userId())
      .orElseThrow(() -> ApiException.unauthorized("The token's subject is not a user id."));
  }

  private static Optional<IdempotencyKey> idempotencyKey(RoutingContext ctx) {
    String header = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (header != null && !IdempotencyKey.isValid(header)) {
      throw ApiException.invalid(new JsonArray().add(new JsonObject().put("field", IDEMPOTENCY_KEY)
        .put("message", "must be 1 to " + IdempotencyKey.MAX_LENGTH + " printable ASCII characters")));
    }
    return IdempotencyKey.parse(header);
  }
}
