package dev.bazaar.order.api;

import dev.bazaar.platform.http.Ids;
import dev.bazaar.order.domain.OrderRequest;
import dev.bazaar.order.domain.RequestedLine;
import dev.bazaar.platform.http.Validation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads {@code {"items":[{"productId","quantity"}], "payment":{"token"}}} into an {@link OrderRequest},
 * or fails with one 400 problem listing every invalid field.
 */
final class OrderRequestJson {
  static final int MAX_TOKEN_LENGTH = 200;

  private OrderRequestJson() {
  }

  static OrderRequest parse(JsonObject body, Pattern tokenPattern) {
    Validation validation = new Validation();
    List<RequestedLine> lines = lines(body.getValue("items"), validation);
    String token = token(body.getValue("payment"), tokenPattern, validation);
    validation.check();
    return new OrderRequest(lines, token);
  }

  private static List<RequestedLine> lines(Object value, Validation validation) {
    if (!(value instanceof JsonArray items)) {
      validation.reject("items", value == null ? "is required" : "must be an array");
      return List.of();
    }
    if (items.size() < OrderRequest.MIN_LINES || items.size() > OrderRequest.MAX_LINES) {
      validation.reject("items", "must have " + OrderRequest.MIN_LINES + " to " + OrderRequest.MAX_LINES + " lines");
      return List.of();
    }
    List<RequestedLine> lines = new ArrayList<>();
    Map<UUID, Integer> firstSeen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String field = "items[" + i + "]";
      if (!(items.getValue(i) instanceof JsonObject item)) {
        validation.reject(field, "must be an object");
        continue;
      }
      Optional<UUID> productId = item.getValue("productId") instanceof String s ? Ids.parse(s) : Optional.empty();
      if (productId.isEmpty()) {
        validation.reject(field + ".productId", "must be a product id (UUID)");
      }
      Integer quantity = quantity(item.getValue("quantity"));
      if (quantity == null) {
        validation.reject(field + ".quantity",
          "must be a whole number from " + OrderRequest.MIN_QUANTITY + " to " + OrderRequest.MAX_QUANTITY);
      }
      if (productId.isPresent()) {
        Integer earlier = firstSeen.putIfAbsent(productId.get(), i);
        if (earlier != null) {
          validation.reject(field + ".productId", "repeats items[" + earlier + "]; order a product once, with its total quantity");
          continue;
        }
      }
      if (productId.isPresent() && quantity != null) {
        lines.add(new RequestedLine(productId.get(), quantity));
      }
    }
    return lines;
  }

  private static Integer quantity(Object value) {
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= OrderRequest.MIN_QUANTITY
      && ((Number) value).longValue() <= OrderRequest.MAX_QUANTITY) {
      return ((Number) value).intValue();
    }
    return null;
  }

  private static String token(Object value, Pattern tokenPattern, Validation validation) {
    if (!(value instanceof JsonObject payment)) {
      validation.reject("payment", value == null ? "is required" : "must be an object");
      return null;
    }
    Object token = payment.getValue("token");
    if (!(token instanceof String s) || s.length() > MAX_TOKEN_LENGTH || !tokenPattern.matcher(s).matches()) {
      validation.reject("payment.token", token == null ? "is required" : "is not a valid payment token");
      return null;
    }
    return s;
  }
}
