package dev.bazaar.gateway.proxy;

import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.TraceContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request: method, path, status, duration, user, trace id (logger {@code access}, written asynchronously). */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("access");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> {
      Principal principal = Principal.orNull(ctx);
      LOG.info("method={} path={} status={} durationMs={} user={} traceId={}",
        ctx.request().method(), ctx.request().path(), ctx.response().getStatusCode(),
        (System.nanoTime() - start) / 1_000_000, principal == null ? "-" : principal.userId(), TraceContext.traceId(ctx));
    });
    ctx.next();
  }
}
