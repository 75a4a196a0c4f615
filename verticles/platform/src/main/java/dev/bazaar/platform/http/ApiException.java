package dev.bazaar.platform.http;

import io.vertx.core.json.JsonArray;

import java.util.Map;

/**
 * A failure with a meaning for the client, rendered as {@code application/problem+json} (RFC 9457).
 * {@code type} is a short slug; the full type URI is built from it.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;
  private final JsonArray errors;
  private final Map<String, String> headers;

  public ApiException(int status, String type, String title, String detail, JsonArray errors, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = errors;
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public ApiException(int status, String type, String title, String detail) {
    this(status, type, title, detail, null, null);
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "bad-request", "Bad request", detail);
  }

  public static ApiException invalid(JsonArray errors) {
    return new ApiException(400, "validation", "Invalid request", "Some fields are invalid; see errors.", errors, null);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "unauthorized", "Unauthorized", detail, null, Map.of("WWW-Authenticate", "Bearer"));
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "Forbidden", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not found", detail);
  }

  public static ApiException conflict(String type, String detail) {
    return new ApiException(409, type, "Conflict", detail);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public JsonArray errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
