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
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
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
