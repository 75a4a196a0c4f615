package dev.bazaar.platform.eventbus;

import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.PageRequest;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * What a {@link BusHandler} gets for one request routed by {@link BusRouter}: the translated
 * request, the verified caller (authenticated routes only), the path parameters and the trace id.
 */
public final class BusContext {
  private final BusRequest request;
  private final Principal principal;
  private final Map<String, String> pathParams;
  private final String traceId;

  BusContext(BusRequest request, Principal principal, Map<String, String> pathParams, String traceId) {
    this.request = request;
    this.principal = principal;
    this.pathParams = Map.copyOf(pathParams);
    this.traceId = traceId;
  }

  public BusRequest request() {
    return request;
  }

  public String method() {
    return request.method();
  }

  public String path() {
    return request.path();
  }

  /** The verified caller; only routes with {@link BusRouter.Access#AUTHENTICATED} have one. */
  public Principal principal() {
    if (principal == null) {
      throw new IllegalStateException("route is not authenticated");
    }
    return principal;
  }

  /** A {@code :name} segment of the route path, percent-decoded. */
  public String pathParam(String name) {
    return pathParams.get(name);
  }

  public Map<String, String> pathParams() {
    return pathParams;
  }

  /** A query parameter, or null when absent. */
  public String query(String name) {
    return request.query().get(name);
  }

  /** The JSON object body, or a 400 problem when there is none. */
  public JsonObject body() {
    if (request.body() == null) {
      throw ApiException.badRequest("A JSON object body is required.");
    }
    return request.body();
  }

  /** The trace this request belongs to (from its {@code traceparent}, or new). */
  public String traceId() {
    return traceId;
  }

  /** {@code page} and {@code size} from the query, with the same rules as over HTTP ({@link PageRequest}). */
  public PageRequest page(int defaultSize) {
    return PageRequest.from(this::query, defaultSize);
  }
}
