package dev.bazaar.platform.auth;

import dev.bazaar.platform.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Requires a valid {@code Authorization: Bearer <jwt>} and attaches its {@link Principal}. Every
 * service verifies the token itself (defense in depth): no service trusts a user id header.
 */
public final class AuthHandler implements Handler<RoutingContext> {
  private final JwtVerifier verifier;

  public AuthHandler(JwtVerifier verifier) {
    this.verifier = verifier;
  }

  /** The raw bearer token of a request, or null. */
  public static String bearer(RoutingContext ctx) {
    return bearer(ctx.request().getHeader("Authorization"));
  }

  /** The token of an {@code Authorization: Bearer <jwt>} header value, or null. */
  public static String bearer(String authorization) {
    if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = bearer(ctx);
    if (token == null || token.isEmpty()) {
      ctx.fail(ApiException.unauthorized("A bearer token is required."));
      return;
    }
    verifier.verify(token).onComplete(ar -> {
      if (ar.succeeded()) {
        ar.result().attach(ctx);
        ctx.next();
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  /** Fails with 403 unless the caller is an admin. */
  public static void requireAdmin(RoutingContext ctx) {
    if (!Principal.of(ctx).isAdmin()) {
      throw ApiException.forbidden("This needs the admin role.");
    }
  }
}
