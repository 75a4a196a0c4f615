package dev.bazaar.product.api;

import dev.bazaar.platform.http.Ids;
import dev.bazaar.product.store.ProductStore;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.bazaar.platform.db.DatabaseUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code product-service.products.lookup}: what other services know of products (order-service
 * prices an order with it, the gateway names products).
 *
 * <pre>
 * request  {"ids": ["&lt;uuid&gt;", ...]}                      1 to 100 ids
 * reply    {"items": [{"id", "sku", "name", "priceCents", "currency"}, ...]}
 *          unknown ids are simply absent; items are in id order; duplicates are answered once
 * failure  400 when the body is not such an object (RECIPIENT_FAILURE: an answer, not an outage),
 *          500 when the catalog cannot be read
 * </pre>
 */
public final class ProductLookupBus {
  public static final String ADDRESS = "product-service.products.lookup";
  public static final int MAX_IDS = 100;
  private static final Logger LOG = LoggerFactory.getLogger(ProductLookupBus.class);

  private final ProductStore products;

  public ProductLookupBus(ProductStore products) {
    this.products = products;
  }

  public MessageConsumer<Object> register(EventBus bus) {
    return bus.consumer(ADDRESS, this::lookup);
  }

  private void lookup(Message<Object> message) {
    Optional<List<UUID>> ids = ids(message.body());
    if (ids.isEmpty()) {
      message.fail(400, "expected {\"ids\": [1 to " + MAX_IDS + " product UUIDs]}");
      return;
    }
    products.byIds(ids.get())
      .map(found -> new JsonObject().put("items", new JsonArray(found.stream().map(ProductJson::summary).toList())))
      .onSuccess(message::reply)
      .onFailure(error -> {
        if (DatabaseUnavailable.is(error)) {
          message.fail(503, "the catalog's database is unavailable; retry shortly");
          return;
        }
        LOG.error("{} failed", ADDRESS, error);
        message.fail(500, "the catalog cannot be read right now");
      });
  }

  private static Optional<List<UUID>> ids(Object body) {
    if (!(body instanceof JsonObject request) || !(request.getValue("ids") instanceof JsonArray raw)
      || raw.isEmpty() || raw.size() > MAX_IDS) {
      return Optional.empty();
    }
    List<UUID> ids = new ArrayList<>(raw.size());
    for (Object item : raw) {
      Optional<UUID> id = item instanceof String text ? Ids.parse(text) : Optional.empty();
      if (id.isEmpty()) {
        return Optional.empty();
      }
      ids.add(id.get());
    }
    return Optional.of(ids);
  }
}
