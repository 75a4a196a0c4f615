package dev.bazaar.inventory.api;

import dev.bazaar.platform.validation.InvalidInputException;
import dev.bazaar.platform.http.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads inventory's event-bus requests; one that breaks its contract is an {@link InvalidInputException} (a 400). */
public final class BusRequests {
  static final int MAX_PRODUCT_IDS = 100;

  private BusRequests() {
  }

  /** {@code {"productIds": [1 to 100 UUIDs]}}. */
  static List<UUID> productIds(JsonObject body) {
    JsonArray raw = array(body, "productIds", MAX_PRODUCT_IDS);
    List<UUID> ids = new ArrayList<>(raw.size());
    for (Object item : raw) {
      ids.add(uuid(item, "productIds must hold product UUIDs"));
    }
    return ids;
  }

  private static JsonArray array(JsonObject body, String field, int max) {
    if (!(body.getValue(field) instanceof JsonArray array) || array.isEmpty() || array.size() > max) {
      throw new InvalidInputException(field + " must be an array of 1 to " + max + " items");
    }
    return array;
  }

  private static UUID uuid(Object raw, String problem) {
    return (raw instanceof String text ? Ids.parse(text) : Optional.<UUID>empty())
      .orElseThrow(() -> new InvalidInputException(problem));
  }
}
