package dev.bazaar.platform.eventbus;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request translated onto the event bus by the gateway (protocol translation): method,
 * path, query parameters, the headers a service needs (Authorization, traceparent) and the JSON
 * body. The service verifies the token itself, exactly as over HTTP.
 *
 * <pre>{"method":"GET","path":"/api/v1/notifications","query":{"page":"0"},
 *  "headers":{"authorization":"Bearer …","traceparent":"00-…"},"body":null}</pre>
 */
public record BusRequest(String method, String path, Map<String, String> query, Map<String, String> headers, JsonObject body) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("method", method)
      .put("path", path)
      .put("query", new JsonObject(new TreeMap<>(query)))
      .put("headers", new JsonObject(new TreeMap<>(headers)))
      .put("body", body);
  }

  public static BusRequest fromJson(JsonObject json) {
    Map<String, String> query = new TreeMap<>();
    Map<String, String> headers = new TreeMap<>();
    JsonObject q = json.getJsonObject("query", new JsonObject());
    JsonObject h = json.getJsonObject("headers", new JsonObject());
    q.forEach(e -> query.put(e.getKey(), String.valueOf(e.getValue())));
    h.forEach(e -> headers.put(e.getKey().toLowerCase(), String.valueOf(e.getValue())));
    return new BusRequest(json.getString("method", "GET"), json.getString("path", "/"), query, headers, json.getJsonObject("body"));
  }

  public String header(String name) {
    return headers.get(name.toLowerCase());
  }
}
