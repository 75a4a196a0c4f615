package dev.bazaar.platform.eventbus;

import io.vertx.core.Future;

/**
 * Answers one routed request. Fail (or throw) with an {@link dev.bazaar.platform.http.ApiException}
 * for an answer the client should see as a problem; anything else becomes a 500 without internals.
 */
@FunctionalInterface
public interface BusHandler {
  Future<BusReply> handle(BusContext ctx);
}
