package dev.bazaar.order.client;

import dev.bazaar.order.domain.ProductPrice;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.resilience.EventBusClient;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Current prices from product-service, over the event bus (guarded by {@link EventBusClient}).
 *
 * <p>Contract, address {@value #LOOKUP_ADDRESS}: request {@code {"ids":["<uuid>", ...]}}, reply
 * {@code {"items":[{"id","sku","name","priceCents","currency"}]}} where unknown ids are simply absent.
 * A lookup is a read, so it is retried. When product-service cannot answer, the caller gets a 503
 * problem: an order is never priced from anything but the catalog's answer.
 */
public final class ProductCatalog {
  public static final String LOOKUP_ADDRESS = "product-service.products.lookup";
  private static final Logger LOG = LoggerFactory.getLogger(ProductCatalog.class);

  private final EventBusClient bus;

  public ProductCatalog(EventBusClient bus) {
    this.bus = bus;
  }

  /** The prices of those of {@code ids} the catalog knows, by product id. */
  public Future<Map<UUID, ProductPrice>> prices(Collection<UUID> ids, String traceparent) {
    JsonObject request = new JsonObject().put("ids", new JsonArray(ids.stream().map(UUID::toString).toList()));
    DeliveryOptions options = new DeliveryOptions();
    if (traceparent != null) {
      options.addHeader("traceparent", traceparent); // when traced, the event bus sends its own
    }
    return bus.request(LOOKUP_ADDRESS, request, options, true)
      .recover(error -> Future.failedFuture(unavailable(error)))
      .map(reply -> parse(reply, Set.copyOf(ids)));
  }

  static Map<UUID, ProductPrice> parse(JsonObject reply, Set<UUID> asked) {
    if (reply == null || !(reply.getValue("items") instanceof JsonArray items)) {
      throw badReply("no items array");
    }
    Map<UUID, ProductPrice> prices = new HashMap<>();
    for (Object value : items) {
      if (!(value instanceof JsonObject item) || !(item.getValue("id") instanceof String id)
        || !(item.getValue("priceCents") instanceof Number cents) || !(cents instanceof Integer || cents instanceof Long)
        || !(item.getValue("currency") instanceof String currency)) {
        throw badReply("malformed item " + value);
      }
      try {
        UUID productId = UUID.fromString(id);
        if (asked.contains(productId)) {
          prices.put(productId, new ProductPrice(productId, cents.longValue(), currency));
        }
      } catch (IllegalArgumentException e) {
        throw badReply("invalid item " + item.encode() + ": " + e.getMessage());
      }
    }
    return prices;
  }

  private static ApiException unavailable(Throwable error) {
    if (error instanceof ReplyException reply && EventBusClient.isAnswer(reply)) {
      // product-service refused the lookup itself: a broken contract, not an outage
      LOG.warn("product lookup refused: {} {}", reply.failureCode(), reply.getMessage());
      return new ApiException(502, "bad-gateway", "Bad gateway", "product-service refused the price lookup.");
    }
    String why = error instanceof OpenCircuitException ? "is failing; its circuit breaker is open" : "did not answer";
    LOG.warn("product lookup failed: {}", error.toString());
    return new ApiException(503, "service-unavailable", "Service unavailable",
      "Prices cannot be looked up right now: product-service " + why + ". Nothing was ordered; try again.",
      null, Map.of("Retry-After", "1"));
  }

  private static ApiException badReply(String what) {
    LOG.warn("product lookup answered out of contract: {}", what);
    return new ApiException(502, "bad-gateway", "Bad gateway", "product-service answered the price lookup out of contract.");
  }
}
