package dev.bazaar.product.api;

import dev.bazaar.product.domain.Product;
import io.vertx.core.json.JsonObject;

/** The public shape of a product. */
final class ProductJson {
  private ProductJson() {
  }

  static JsonObject of(Product product) {
    return new JsonObject()
      .put("id", product.id().toString())
      .put("sku", product.sku())
      .put("name", product.name())
      .put("description", product.description())
      .put("priceCents", product.priceCents())
      .put("currency", product.currency())
      .put("createdAt", product.createdAt().toString())
      .put("updatedAt", product.updatedAt().toString());
  }

  /** What other services get from {@code product-service.products.lookup}. */
  static JsonObject summary(Product product) {
    return new JsonObject()
      .put("id", product.id().toString())
      .put("sku", product.sku())
      .put("name", product.name())
      .put("priceCents", product.priceCents())
      .put("currency", product.currency());
  }
}
