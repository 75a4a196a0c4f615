package dev.bazaar.payment.api;

import dev.bazaar.platform.http.Ids;
import dev.bazaar.payment.store.PaymentStore;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Json;
import dev.bazaar.platform.http.PageRequest;
import dev.bazaar.platform.http.Validation;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /api/v1/payments?orderId=} (the caller's payments; an admin's: everyone's) and
 * {@code GET /api/v1/payments/{id}}. Another user's payment is as absent as a missing one.
 */
public final class PaymentsApi {
  static final int DEFAULT_PAGE_SIZE = 20;

  private final PaymentStore payments;
  private final AuthHandler auth;

  public PaymentsApi(PaymentStore payments, AuthHandler auth) {
    this.payments = payments;
    this.auth = auth;
  }

  public void mount(Router router) {
    router.get("/api/v1/payments").handler(auth).handler(this::list);
    router.get("/api/v1/payments/:id").handler(auth).handler(this::byId);
  }

  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    PageRequest page = PageRequest.from(ctx, DEFAULT_PAGE_SIZE);
    String orderParam = ctx.queryParams().get("orderId");
    Optional<UUID> orderId = Optional.empty();
    if (orderParam != null && !orderParam.isEmpty()) {
      orderId = Ids.parse(orderParam);
      if (orderId.isEmpty()) {
        new Validation().reject("orderId", "must be an order id (UUID)").check();
      }
    }
    UUID userId = principal.isAdmin() ? null : callerId(principal);
    payments.list(userId, orderId.orElse(null), page.offset(), page.size())
      .onSuccess(found -> Json.send(ctx, 200, page.toJson(found.items().stream().map(PaymentJson::of).toList(), found.total())))
      .onFailure(ctx::fail);
  }

  private void byId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Principal principal = Principal.of(ctx);
    Ids.parse(id)
      .map(payments::byId)
      .orElseGet(() -> Future.succeededFuture(Optional.empty()))
      .compose(found -> found.filter(payment -> principal.mayAccess(payment.userId().toString()))
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("No payment " + id + "."))))
      .onSuccess(payment -> Json.send(ctx, 200, PaymentJson.of(payment)))
      .onFailure(ctx::fail);
  }

  private static UUID callerId(Principal principal) {
    return Ids.parse(principal.userId())
      .orElseThrow(() -> ApiException.unauthorized("The token's subject is not a user id."));
  }
}
