package dev.bazaar.inventory.api;

import dev.bazaar.platform.validation.InvalidInputException;
import dev.bazaar.inventory.domain.StockLevel;
import dev.bazaar.inventory.store.StockStore;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Ids;
import dev.bazaar.platform.http.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * Stock levels for admins: {@code PUT /api/v1/inventory/{productId}} {"available"} sets (creating
 * if needed), {@code GET} reads. The product id is not checked against product-service: stock may
 * be set before the product is created, and only ids with stock can ever be reserved.
 */
public final class StockApi {
  private final StockStore stock;
  private final AuthHandler auth;

  public StockApi(StockStore stock, AuthHandler auth) {
    this.stock = stock;
    this.auth = auth;
  }

  public void mount(Router router) {
    router.put("/api/v1/inventory/:productId").handler(auth).handler(this::set);
    router.get("/api/v1/inventory/:productId").handler(auth).handler(this::get);
  }

  private void set(RoutingContext ctx) {
    AuthHandler.requireAdmin(ctx);
    UUID productId = productId(ctx);
    int available = available(Json.body(ctx));
    stock.set(productId, available)
      .onSuccess(level -> Json.send(ctx, 200, toJson(level)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    AuthHandler.requireAdmin(ctx);
    UUID productId = productId(ctx);
    stock.byId(productId)
      .onSuccess(level -> level.ifPresentOrElse(
        found -> Json.send(ctx, 200, toJson(found)),
        () -> ctx.fail(notFound(productId.toString()))))
      .onFailure(ctx::fail);
  }

  private static int available(JsonObject body) {
    try {
      return StockLevel.available(body.getValue("available"));
    } catch (InvalidInputException e) {
      throw ApiException.invalid(new JsonArray().add(new JsonObject().put("field", "available").put("message", e.getMessage())));
    }
  }

  /** A malformed id names no stock: 404 like an unknown one. */
  private static UUID productId(RoutingContext ctx) {
    return Ids.orNotFound(ctx.pathParam("productId"), "stock for product");
  }

  private static ApiException notFound(String productId) {
    return ApiException.notFound("No stock for product " + productId + ".");
  }

  private static JsonObject toJson(StockLevel level) {
    return new JsonObject().put("productId", level.productId().toString()).put("available", level.available());
  }
}
