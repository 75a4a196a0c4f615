package dev.bazaar.order.api;

import dev.bazaar.order.domain.Order;
import dev.bazaar.order.domain.OrderLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The public shape of an order (DESIGN §3); the payment token and idempotency data stay inside. */
final class OrderJson {
  private OrderJson() {
  }

  static JsonObject of(Order order) {
    JsonArray items = new JsonArray();
    for (OrderLine line : order.lines()) {
      items.add(new JsonObject()
        .put("productId", line.productId().toString())
        .put("quantity", line.quantity())
        .put("unitPriceCents", line.unitPriceCents()));
    }
    JsonObject json = new JsonObject()
      .put("id", order.id().toString())
      .put("userId", order.userId().toString())
      .put("status", order.status().name())
      .put("items", items)
      .put("totalCents", order.totalCents())
      .put("currency", order.currency());
    if (order.reason() != null) {
      json.put("reason", order.reason());
    }
    return json
      .put("createdAt", order.createdAt().toString())
      .put("updatedAt", order.updatedAt().toString());
  }
}
