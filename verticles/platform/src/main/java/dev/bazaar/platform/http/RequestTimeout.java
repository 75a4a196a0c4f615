package dev.bazaar.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Bounds a request's life on the server: a client that has not finished sending its body within
 * {@code timeoutMs} gets a 408 and the connection is closed (a slow upload holds no slot for
 * ever); a request the server itself could not answer in time gets a 503 with Retry-After.
 * Either is a problem, and nothing is written once the answer has started.
 */
public final class RequestTimeout implements Handler<RoutingContext> {
  private final long timeoutMs;

  public RequestTimeout(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long timer = ctx.vertx().setTimer(timeoutMs, t -> {
      if (ctx.response().headWritten() || ctx.response().ended()) {
        return;
      }
      if (!ctx.request().isEnded()) {
        ctx.response().putHeader("Connection", "close");
        ctx.fail(new ApiException(408, "request-timeout", "Request timeout",
          "The request was not received in full within " + timeoutMs + " ms.", null, Map.of("Connection", "close")));
      } else {
        ctx.fail(new ApiException(503, "timeout", "Service unavailable",
          "The request could not be answered within " + timeoutMs + " ms.", null, Map.of("Retry-After", "1")));
      }
    });
    ctx.addBodyEndHandler(v -> ctx.vertx().cancelTimer(timer));
    ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
    ctx.next();
  }
}
