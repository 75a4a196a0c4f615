package dev.bazaar.inventory.api;

import dev.bazaar.platform.eventbus.BusAnswers;
import dev.bazaar.inventory.store.StockStore;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code inventory-service.stock.availability}: units available now, for product pages.
 *
 * <pre>
 * request  {"productIds": ["&lt;uuid&gt;", ...]}                  1 to 100 ids
 * reply    {"items": [{"productId", "available"}, ...]}   products without stock are absent
 * failure  400 malformed request, 500 database unavailable
 * </pre>
 */
public final class StockBus {
  public static final String AVAILABILITY = "inventory-service.stock.availability";

  private final StockStore stock;

  public StockBus(StockStore stock) {
    this.stock = stock;
  }

  public MessageConsumer<Object> register(EventBus bus) {
    return bus.consumer(AVAILABILITY, message -> BusAnswers.answer("inventory", message, body ->
      stock.levels(BusRequests.productIds(body))
        .map(levels -> new JsonObject().put("items", new JsonArray(levels.stream()
          .map(level -> new JsonObject().put("productId", level.productId().toString()).put("available", level.available()))
          .toList())))));
  }
}
