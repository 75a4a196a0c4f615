package dev.bazaar.product.api;

import dev.bazaar.platform.validation.Checked;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Ids;
import dev.bazaar.platform.http.Json;
import dev.bazaar.platform.http.PageRequest;
import dev.bazaar.platform.http.TraceContext;
import dev.bazaar.platform.http.Validation;
import dev.bazaar.product.client.InventoryClient;
import dev.bazaar.product.domain.Product;
import dev.bazaar.product.domain.ProductDraft;
import dev.bazaar.product.domain.SearchTerm;
import dev.bazaar.product.domain.SkuTakenException;
import dev.bazaar.product.store.ProductStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The catalog over HTTP: public reads ({@code GET /api/v1/products}, {@code GET /api/v1/products/{id}}
 * with live stock), admin writes ({@code POST /api/v1/products}, {@code PUT /api/v1/products/{id}}).
 */
public final class ProductsApi {
  private static final Logger LOG = LoggerFactory.getLogger(ProductsApi.class);
  private static final int DEFAULT_PAGE_SIZE = 20;

  private final ProductStore products;
  private final InventoryClient inventory;
  private final AuthHandler auth;
  private final Set<String> currencies;

  public ProductsApi(ProductStore products, InventoryClient inventory, AuthHandler auth, Set<String> currencies) {
    this.products = products;
    this.inventory = inventory;
    this.auth = auth;
    this.currencies = currencies;
  }

  public void mount(Router router) {
    router.get("/api/v1/products").handler(this::search);
    router.get("/api/v1/products/:id").handler(this::byId);
    router.post("/api/v1/products").handler(auth).handler(this::create);
    router.put("/api/v1/products/:id").handler(auth).handler(this::replace);
  }

  private void search(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx, DEFAULT_PAGE_SIZE);
    Checked<Optional<String>> term = SearchTerm.likePattern(ctx.queryParams().get("q"));
    reject(term);
    products.search(term.value().orElse(null), page.offset(), page.size())
      .onSuccess(found -> Json.send(ctx, 200, page.toJson(found.items().stream().map(ProductJson::of).toList(), found.total())))
      .onFailure(ctx::fail);
  }

  /** The product with its stock; when inventory-service cannot answer, the product alone, marked degraded. */
  private void byId(RoutingContext ctx) {
    UUID id = pathId(ctx);
    products.byId(id)
      .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(notFound(id.toString()))))
      .compose(product -> inventory.available(product.id(), TraceContext.outgoing(ctx))
        .map(available -> ProductJson.of(product).put("available", available))
        .otherwise(error -> {
          LOG.debug("product {} served without stock: {}", product.id(), error.toString());
          return ProductJson.of(product).put("degraded", new JsonArray().add("inventory"));
        }))
      .onSuccess(json -> Json.send(ctx, 200, json))
      .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    AuthHandler.requireAdmin(ctx);
    ProductDraft draft = draft(ctx);
    products.insert(UUID.randomUUID(), draft)
      .recover(ProductsApi::skuTaken)
      .onSuccess(product -> {
        ctx.response().putHeader("Location", "/api/v1/products/" + product.id());
        Json.send(ctx, 201, ProductJson.of(product));
      })
      .onFailure(ctx::fail);
  }

  private void replace(RoutingContext ctx) {
    AuthHandler.requireAdmin(ctx);
    UUID id = pathId(ctx);
    ProductDraft draft = draft(ctx);
    products.replace(id, draft)
      .recover(ProductsApi::skuTaken)
      .compose(replaced -> replaced.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(notFound(id.toString()))))
      .onSuccess(product -> Json.send(ctx, 200, ProductJson.of(product)))
      .onFailure(ctx::fail);
  }

  private ProductDraft draft(RoutingContext ctx) {
    JsonObject body = Json.body(ctx);
    Checked<ProductDraft> draft = ProductDraft.check(body.getValue("sku"), body.getValue("name"), body.getValue("description"),
      body.getValue("priceCents"), body.getValue("currency"), currencies);
    reject(draft);
    return draft.value();
  }

  private static void reject(Checked<?> checked) {
    new Validation().rejectAll(checked.errors()).check();
  }

  /** A malformed id names no product: 404 like an unknown one. */
  private static UUID pathId(RoutingContext ctx) {
    return Ids.orNotFound(ctx.pathParam("id"), "product");
  }

  private static <T> Future<T> skuTaken(Throwable error) {
    return Future.failedFuture(error instanceof SkuTakenException taken
      ? ApiException.conflict("sku-taken", taken.getMessage())
      : error);
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("No product " + id + ".");
  }
}
