package dev.bazaar.user.api;

import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Ids;
import dev.bazaar.platform.http.Json;
import dev.bazaar.user.security.SigningKeys;
import dev.bazaar.user.store.UserStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** {@code GET /api/v1/users/me}, {@code GET /api/v1/users/{id}} and the public JWKS. */
public record UsersApi(UserStore users, SigningKeys keys, AuthHandler auth) {
  public void mount(Router router) {
    router.get("/.well-known/jwks.json").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/json")
      .putHeader("Cache-Control", "max-age=300")
      .end(keys.publicSet().toString()));
    router.get("/api/v1/users/me").handler(auth).handler(ctx -> send(ctx, Principal.of(ctx).userId()));
    router.get("/api/v1/users/:id").handler(auth).handler(this::byId);
  }

  private void byId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    // Someone else's record is as absent as a missing one (no enumeration).
    if (!Principal.of(ctx).mayAccess(id)) {
      throw ApiException.notFound("No user " + id + ".");
    }
    send(ctx, id);
  }

  private void send(RoutingContext ctx, String id) {
    UUID uuid = Ids.orNotFound(id, "user");
    users.byId(uuid)
      .onSuccess(user -> user.ifPresentOrElse(
        u -> Json.send(ctx, 200, UserJson.of(u)),
        () -> ctx.fail(ApiException.notFound("No user " + id + "."))))
      .onFailure(ctx::fail);
  }
}
