package dev.bazaar.product.client;

import dev.bazaar.platform.http.TraceContext;
import dev.bazaar.platform.resilience.EventBusClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Stock levels from inventory-service over the event bus ({@code inventory-service.stock.availability}),
 * through the platform's guarded client: timeout, circuit breaker, retries (the query is idempotent).
 */
public final class InventoryClient {
  public static final String AVAILABILITY = "inventory-service.stock.availability";

  private final EventBusClient bus;

  public InventoryClient(EventBusClient bus) {
    this.bus = bus;
  }

  /** Units of {@code productId} available now; 0 when inventory-service keeps no stock for it. */
  public Future<Integer> available(UUID productId, String traceparent) {
    JsonObject request = new JsonObject().put("productIds", new JsonArray().add(productId.toString()));
    DeliveryOptions options = new DeliveryOptions();
    if (traceparent != null) {
      options.addHeader(TraceContext.HEADER, traceparent); // when traced, the event bus sends its own
    }
    return bus.request(AVAILABILITY, request, options, true)
      .map(reply -> {
        for (Object item : reply.getJsonArray("items")) {
          JsonObject stock = (JsonObject) item;
          if (productId.toString().equals(stock.getString("productId"))) {
            return stock.getInteger("available");
          }
        }
        return 0;
      });
  }
}
