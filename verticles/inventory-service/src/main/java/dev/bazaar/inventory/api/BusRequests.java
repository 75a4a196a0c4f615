package dev.bazaar.inventory.api;

import dev.bazaar.platform.validation.InvalidInputException;
import dev.bazaar.inventory.domain.ReservationLine;
import dev.bazaar.inventory.domain.ReservationRequest;
import dev.bazaar.platform.http.WholeNumbers;
import dev.bazaar.platform.http.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** Reads inventory's event-bus requests; one that breaks its contract is an {@link InvalidInputException} (a 400). */
public final class BusRequests {
  static final int MAX_PRODUCT_IDS = 100;

  private BusRequests() {
  }

  /** {@code {"orderId"}}. */
  public static UUID orderId(JsonObject body) {
    return uuid(body.getValue("orderId"), "orderId must be a UUID");
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

  /** {@code {"orderId", "lines": [1 to 100 {productId, quantity 1..1 000 000}]}}. */
  public static ReservationRequest reservation(JsonObject body) {
    UUID orderId = orderId(body);
    JsonArray raw = array(body, "lines", ReservationRequest.MAX_LINES);
    List<ReservationLine> lines = new ArrayList<>(raw.size());
    for (Object item : raw) {
      if (!(item instanceof JsonObject line)) {
        throw new InvalidInputException("every line must be {productId, quantity}");
      }
      UUID productId = uuid(line.getValue("productId"), "every line needs a productId UUID");
      OptionalLong quantity = WholeNumbers.of(line.getValue("quantity"));
      if (quantity.isEmpty() || quantity.getAsLong() < 1 || quantity.getAsLong() > ReservationLine.MAX_QUANTITY) {
        throw new InvalidInputException("every line needs a quantity, a whole number from 1 to " + ReservationLine.MAX_QUANTITY);
      }
      lines.add(new ReservationLine(productId, (int) quantity.getAsLong()));
    }
    return new ReservationRequest(orderId, lines);
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
