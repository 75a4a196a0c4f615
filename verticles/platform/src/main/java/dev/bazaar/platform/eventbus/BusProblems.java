package dev.bazaar.platform.eventbus;

import dev.bazaar.platform.db.DatabaseUnavailable;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Problems;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * Problems as {@link BusReply}s: the same {@code application/problem+json} body and headers that
 * {@link Problems} writes over HTTP, so a client cannot tell which protocol the service spoke.
 */
public final class BusProblems {
  private BusProblems() {
  }

  public static BusReply reply(ApiException problem, String instance, String traceId) {
    Map<String, String> headers = new TreeMap<>(problem.headers());
    headers.put("Content-Type", Problems.CONTENT_TYPE);
    return new BusReply(problem.status(), headers, Problems.body(problem, instance, traceId));
  }

  /**
   * The problem a failure means for the client: 503 with {@code Retry-After} when the database is
   * unreachable (as over HTTP); null when it is unexpected (a bug).
   */
  static ApiException known(Throwable failure) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof DecodeException) {
      return ApiException.badRequest("The body is not valid JSON.");
    }
    if (DatabaseUnavailable.is(failure)) {
      return Problems.unavailable();
    }
    return null;
  }

  static ApiException internal() {
    return new ApiException(500, "internal", "Internal error", "Something went wrong on our side; the trace id identifies it.");
  }

  static ApiException notFound(String path) {
    return ApiException.notFound("No resource at " + path + ".");
  }

  static ApiException methodNotAllowed(String method, String path, String allowed) {
    return new ApiException(405, "method-not-allowed", "Method not allowed",
      method + " is not allowed on " + path + ".", null, Map.of("Allow", allowed));
  }
}
