package dev.bazaar.platform.http;

import dev.bazaar.platform.db.DatabaseUnavailable;
import dev.bazaar.platform.resilience.NoInstanceAvailableException;
import dev.bazaar.platform.resilience.ServiceClient;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Renders every failure as {@code application/problem+json}; never a stack trace. */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://bazaar.dev/problems/";
  /** Seconds a client is asked to wait when the database is unreachable: about a pool connection attempt. */
  public static final String UNAVAILABLE_RETRY_AFTER = "2";

  private Problems() {
  }

  /** Failure handler for routers: maps the failure (or bare status) to a problem. */
  public static void handle(RoutingContext ctx) {
    send(ctx, toApiException(ctx.failure(), ctx.statusCode(), ctx));
  }

  public static void send(RoutingContext ctx, ApiException problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      if (!response.ended()) {
        response.reset();
      }
      return;
    }
    JsonObject body = body(problem, ctx.request().path(), TraceContext.traceId(ctx));
    problem.headers().forEach(response::putHeader);
    response.setStatusCode(problem.status())
      .putHeader("Content-Type", CONTENT_TYPE)
      .end(body.toBuffer());
  }

  /** The RFC 9457 body of {@code problem}: the same over HTTP and over the event bus. */
  public static JsonObject body(ApiException problem, String instance, String traceId) {
    JsonObject body = new JsonObject()
      .put("type", TYPE_BASE + problem.type())
      .put("title", problem.title())
      .put("status", problem.status())
      .put("detail", problem.detail());
    if (instance != null) {
      body.put("instance", instance);
    }
    body.put("traceId", traceId);
    if (problem.errors() != null) {
      body.put("errors", problem.errors());
    }
    return body;
  }

  static ApiException toApiException(Throwable failure, int status, RoutingContext ctx) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof DecodeException) {
      return ApiException.badRequest("The body is not valid JSON.");
    }
    if (failure != null && DatabaseUnavailable.is(failure)) {
      LOG.warn("{} {} trace={}: database unavailable: {}", ctx.request().method(), ctx.request().path(),
        TraceContext.traceId(ctx), failure.toString());
      return unavailable();
    }
    if (failure != null) {
      LOG.error("unhandled failure on {} {} trace={}", ctx.request().method(), ctx.request().path(), TraceContext.traceId(ctx), failure);
      return new ApiException(500, "internal", "Internal error", "Something went wrong on our side; the trace id identifies it.");
    }
    return switch (status) {
      case 400 -> ApiException.badRequest("The request could not be read.");
      case 401 -> ApiException.unauthorized("A valid bearer token is required.");
      case 403 -> ApiException.forbidden("Not allowed.");
      case 404 -> ApiException.notFound("No resource at " + ctx.request().path() + ".");
      case 405 -> new ApiException(405, "method-not-allowed", "Method not allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path() + ".");
      case 408 -> new ApiException(408, "request-timeout", "Request timeout", "The request was not received in time.");
      case 413 -> new ApiException(413, "payload-too-large", "Payload too large", "The request body is over the limit.");
      case 414 -> new ApiException(414, "uri-too-long", "URI too long", "The request line is over the limit.");
      case 431 -> new ApiException(431, "header-fields-too-large", "Request header fields too large",
        "The request headers are over the limit.");
      case 415 -> new ApiException(415, "unsupported-media-type", "Unsupported media type", "Send application/json.");
      default -> status >= 400 && status < 500
        ? new ApiException(status, "client-error", "Client error", "The request was rejected.")
        : new ApiException(500, "internal", "Internal error", "Something went wrong on our side; the trace id identifies it.");
    };
  }

  /**
   * 503 with {@code Retry-After}: what a request gets when the service's own database (or the way
   * to it) is down, restarting or out of connections ({@link DatabaseUnavailable}); nothing of the
   * cause reaches the client.
   */
  public static ApiException unavailable() {
    return new ApiException(503, "unavailable", "Service unavailable",
      "A resource this request needs is unreachable right now; retry after the delay in Retry-After.", null,
      Map.of("Retry-After", UNAVAILABLE_RETRY_AFTER));
  }

  /** How a failed call to another service looks to our client: 503 fast, 504 on timeout, 502 otherwise. */
  public static ApiException fromUpstreamFailure(String service, Throwable failure) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof NoInstanceAvailableException) {
      return new ApiException(503, "service-unavailable", "Service unavailable",
        service + " has no available instance.", null, Map.of("Retry-After", "1"));
    }
    if (failure instanceof OpenCircuitException) {
      return new ApiException(503, "circuit-open", "Service unavailable",
        service + " is failing; its circuit breaker is open.", null, Map.of("Retry-After", "3"));
    }
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return new ApiException(503, "service-unavailable", "Service unavailable",
        service + " has no available instance.", null, Map.of("Retry-After", "1"));
    }
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT || ServiceClient.isTimeout(failure)) {
      return new ApiException(504, "upstream-timeout", "Gateway timeout", service + " did not answer in time.");
    }
    return new ApiException(502, "bad-gateway", "Bad gateway", service + " could not be reached.");
  }
}
