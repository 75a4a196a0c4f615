package dev.bazaar.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Function;

/**
 * {@code page} (0-based) and {@code size} of a list request: absent means page 0 and the default
 * size; anything that is not a number in range is a 400, never a 5xx and never an unbounded page.
 */
public record PageRequest(int page, int size) {
  public static final int MAX_SIZE = 100;
  public static final int MAX_PAGE = 100_000;

  public static PageRequest from(RoutingContext ctx, int defaultSize) {
    return from(name -> ctx.queryParams().get(name), defaultSize);
  }

  /** From any source of query parameters (HTTP, or a request translated onto the event bus). */
  public static PageRequest from(Function<String, String> query, int defaultSize) {
    Validation validation = new Validation();
    int page = number(query, "page", 0, 0, MAX_PAGE, validation);
    int size = number(query, "size", defaultSize, 1, MAX_SIZE, validation);
    validation.check();
    return new PageRequest(page, size);
  }

  public int offset() {
    return page * size;
  }

  /** The list shape of the public API: {@code {items, page, size, total}}. */
  public JsonObject toJson(List<JsonObject> items, long total) {
    return new JsonObject().put("items", new JsonArray(items)).put("page", page).put("size", size).put("total", total);
  }

  private static int number(Function<String, String> query, String name, int fallback, int min, int max, Validation validation) {
    String raw = query.apply(name);
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    validation.reject(name, "must be a whole number from " + min + " to " + max);
    return fallback;
  }
}
