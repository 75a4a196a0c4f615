package dev.bazaar.user.api;

import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Json;
import dev.bazaar.platform.http.Validation;
import dev.bazaar.user.domain.Registration;
import dev.bazaar.user.domain.User;
import dev.bazaar.user.security.AuthThrottle;
import dev.bazaar.user.security.PasswordHasher;
import dev.bazaar.user.security.TokenIssuer;
import dev.bazaar.user.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.UUID;

/** {@code POST /api/v1/auth/register} and {@code POST /api/v1/auth/login}. */
public record AuthApi(Vertx vertx, UserStore users, PasswordHasher hasher, TokenIssuer tokens, AuthThrottle throttle) {
  public void mount(Router router) {
    router.post("/api/v1/auth/register").handler(this::register);
    router.post("/api/v1/auth/login").handler(this::login);
  }

  private void register(RoutingContext ctx) {
    JsonObject body = Json.body(ctx);
    new Validation().rejectAll(Registration.problems(body.getValue("email"), body.getValue("password"), body.getValue("name")))
      .check();
    throttle.admitRegistration(body.getString("email"), ctx);
    Registration registration = Registration.of(body.getString("email"), body.getString("password"), body.getString("name"));
    users.byEmail(registration.email())
      .compose(existing -> existing.isPresent()
        ? Future.failedFuture(emailTaken())
        : hasher.hash(registration.password()))
      .compose(hash -> users.insert(UUID.randomUUID(), registration.email(), registration.name(), hash, List.of(User.CUSTOMER)))
      .compose(inserted -> inserted.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(emailTaken())))
      .onSuccess(user -> {
        ctx.response().putHeader("Location", "/api/v1/users/" + user.id());
        Json.send(ctx, 201, UserJson.of(user));
      })
      .onFailure(ctx::fail);
  }

  private void login(RoutingContext ctx) {
    JsonObject body = Json.body(ctx);
    if (!(body.getValue("email") instanceof String email) || !(body.getValue("password") instanceof String password)
      || email.length() > Registration.MAX_EMAIL || password.length() > 1024) {
      throw ApiException.badRequest("email and password are required strings.");
    }
    throttle.admitLogin(email, ctx);
    users.byEmail(email.strip().toLowerCase())
      .compose(user -> hasher.matches(password, user.map(User::passwordHash).orElse(null))
        .compose(ok -> {
          if (!ok) {
            throttle.loginFailed(email, ctx);
            return Future.failedFuture(new ApiException(401, "invalid-credentials", "Unauthorized", "Wrong email or password."));
          }
          throttle.loginSucceeded(email);
          return vertx.executeBlocking(() -> tokens.issue(user.orElseThrow()), false);
        }))
      .onSuccess(token -> Json.send(ctx, 200, new JsonObject()
        .put("token", token)
        .put("tokenType", "Bearer")
        .put("expiresIn", tokens.ttlSeconds())))
      .onFailure(ctx::fail);
  }

  private static ApiException emailTaken() {
    return ApiException.conflict("email-taken", "A user with this email already exists.");
  }
}
