package dev.bazaar.gateway.auth;

import dev.bazaar.gateway.ratelimit.RateLimiter;
import dev.bazaar.gateway.ratelimit.TokenBucket;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Who is calling, and may they call now: verifies the bearer token (required unless the route is
 * public) and takes a token from the caller's rate-limit bucket (per user, else per client IP; a
 * request refused for a missing or bad token counts against its client IP).
 * Every response carries the RateLimit headers; a rejected one is a 429 with Retry-After.
 */
public final class GatewayAuth {
  private final JwtVerifier verifier;
  private final RateLimiter rateLimiter;

  public GatewayAuth(JwtVerifier verifier, RateLimiter rateLimiter) {
    this.verifier = verifier;
    this.rateLimiter = rateLimiter;
  }

  /** The verified principal (null on a public route without a token), after the rate limit let it through. */
  public Future<Principal> admit(RoutingContext ctx, boolean publicRoute) {
    String token = AuthHandler.bearer(ctx);
    Future<Principal> principal;
    if (token == null || token.isEmpty()) {
      principal = publicRoute
        ? Future.succeededFuture(null)
        : Future.failedFuture(ApiException.unauthorized("A bearer token is required."));
    } else {
      principal = verifier.verify(token).recover(e -> publicRoute ? Future.succeededFuture(null) : Future.failedFuture(e));
    }
    // a missing or bad token costs the client's address a token too: guessing tokens is rate limited
    return principal.recover(e -> {
      limit(ctx, null);
      return Future.failedFuture(e);
    }).compose(p -> {
      limit(ctx, p);
      if (p != null) {
        p.attach(ctx);
      }
      return Future.succeededFuture(p);
    });
  }

  private void limit(RoutingContext ctx, Principal principal) {
    if (!rateLimiter.enabled()) {
      return;
    }
    TokenBucket.Decision decision = rateLimiter.take(principal == null ? null : principal.userId(), clientIp(ctx));
    HttpServerResponse response = ctx.response();
    response.putHeader("RateLimit-Limit", Integer.toString(decision.limit()));
    response.putHeader("RateLimit-Remaining", Integer.toString(decision.remaining()));
    response.putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
    if (!decision.allowed()) {
      long retryAfter = Math.max(1, (decision.retryAfterMillis() + 999) / 1000);
      throw new ApiException(429, "rate-limited", "Too many requests",
        "The rate limit of this client is exhausted; retry after " + retryAfter + " s.", null,
        Map.of("Retry-After", Long.toString(retryAfter)));
    }
  }

  private static String clientIp(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
