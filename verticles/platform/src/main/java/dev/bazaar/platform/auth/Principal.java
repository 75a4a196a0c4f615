package dev.bazaar.platform.auth;

import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/** The verified caller of a request, taken from its access token. */
public record Principal(String userId, String email, Set<String> roles, long expiresAtEpochSecond) {
  public static final String ADMIN = "admin";
  private static final String KEY = "bazaar.principal";

  public boolean isAdmin() {
    return roles.contains(ADMIN);
  }

  /** May this caller see what belongs to {@code ownerId}? */
  public boolean mayAccess(String ownerId) {
    return isAdmin() || userId.equals(ownerId);
  }

  public void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The principal of an authenticated request; a route without {@link AuthHandler} has none. */
  public static Principal of(RoutingContext ctx) {
    Principal principal = ctx.get(KEY);
    if (principal == null) {
      throw new IllegalStateException("route is not authenticated");
    }
    return principal;
  }

  public static Principal orNull(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
