package dev.bazaar.platform.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading and writing JSON bodies. */
public final class Json {
  private Json() {
  }

  /** The request body as a JSON object, or a 400 problem. */
  public static JsonObject body(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType != null && !contentType.toLowerCase().startsWith("application/json")) {
      throw new ApiException(415, "unsupported-media-type", "Unsupported media type", "Send application/json.");
    }
    if (!hasBody(ctx)) {
      throw ApiException.badRequest("A JSON object body is required.");
    }
    try {
      Object value = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
      if (value instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw ApiException.badRequest("The body is not valid JSON.");
    }
    throw ApiException.badRequest("The body must be a JSON object.");
  }

  /** Did the request come with a body? ({@code RequestBody.length()} is -1 when there was none.) */
  public static boolean hasBody(RoutingContext ctx) {
    return ctx.body() != null && ctx.body().buffer() != null && ctx.body().length() > 0;
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
