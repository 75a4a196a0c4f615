package dev.bazaar.product.api;

import dev.bazaar.platform.eventbus.BusAnswers;
import dev.bazaar.platform.http.Ids;
import dev.bazaar.platform.validation.InvalidInputException;
import dev.bazaar.product.store.ProductStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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
 *          503 while the catalog's database is unavailable, 500 when it cannot be read ({@link BusAnswers})
 * </pre>
 */
public final class ProductLookupBus {
  public static final String ADDRESS = "product-service.products.lookup";
  public static final int MAX_IDS = 100;
  private static final String EXPECTED = "expected {\"ids\": [1 to " + MAX_IDS + " product UUIDs]}";

  private final ProductStore products;

  public ProductLookupBus(ProductStore products) {
    this.products = products;
  }

  public MessageConsumer<Object> register(EventBus bus) {
    return bus.consumer(ADDRESS, message -> BusAnswers.answer("the catalog", message, this::lookup));
  }

  private Future<JsonObject> lookup(JsonObject request) {
    return products.byIds(ids(request))
      .map(found -> new JsonObject().put("items", new JsonArray(found.stream().map(ProductJson::summary).toList())));
  }

  private static List<UUID> ids(JsonObject request) {
    if (!(request.getValue("ids") instanceof JsonArray raw) || raw.isEmpty() || raw.size() > MAX_IDS) {
      throw new InvalidInputException(EXPECTED);
    }
    List<UUID> ids = new ArrayList<>(raw.size());
    for (Object item : raw) {
      ids.add((item instanceof String text ? Ids.parse(text) : Optional.<UUID>empty())
        .orElseThrow(() -> new InvalidInputException(EXPECTED)));
    }
    return ids;
  }
}
