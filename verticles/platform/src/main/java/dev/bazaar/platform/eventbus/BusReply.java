package dev.bazaar.platform.eventbus;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * The answer to a {@link BusRequest}: an HTTP status, a few headers (Location, Content-Type) and
 * a JSON body, which the gateway turns back into an HTTP response. Errors are problem bodies with
 * {@code Content-Type: application/problem+json}.
 */
public record BusReply(int status, Map<String, String> headers, JsonObject body) {

  public static BusReply json(int status, JsonObject body) {
    return new BusReply(status, Map.of("Content-Type", "application/json"), body);
  }

  public JsonObject toJson() {
    return new JsonObject().put("status", status).put("headers", new JsonObject(new TreeMap<>(headers))).put("body", body);
  }

  public static BusReply fromJson(JsonObject json) {
    Map<String, String> headers = new TreeMap<>();
    json.getJsonObject("headers", new JsonObject()).forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    return new BusReply(json.getInteger("status", 500), headers, json.getJsonObject("body"));
  }
}
