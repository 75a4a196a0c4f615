package dev.bazaar.user.api;

import dev.bazaar.user.domain.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The public shape of a user: never a password or a hash. */
final class UserJson {
  private UserJson() {
  }

  static JsonObject of(User user) {
    return new JsonObject()
      .put("id", user.id().toString())
      .put("email", user.email())
      .put("name", user.name())
      .put("roles", new JsonArray(user.roles()))
      .put("createdAt", user.createdAt().toString());
  }
}
