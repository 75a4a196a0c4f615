package dev.bazaar.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code page} (0-based) and {@code size} of a list request: absent means page 0 and the default
 * size; anything that is not a number in range is a 400, never a 5xx and never an unbounded page.
 */
public record PageRequest(int page, int size) {
  public static final int MAX_SIZE = 100;
  public static final int MAX_PAGE = 100_000;

  public static PageRequest from(RoutingContext ctx, int defaultSize) {
    Validation validation = new Validation();
    int page = number(ctx, "page", 0, 0, MAX_PAGE, validation);
    int size = number(ctx, "size", defaultSize, 1, MAX_SIZE, validation);
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

  private static int number(RoutingContext ctx, String name, int fallback, int min, int max, Validation validation) {
    String raw = ctx.queryParams().get(name);
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
