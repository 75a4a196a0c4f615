package dev.bazaar.user;

import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.boot.ServiceVerticle;
import dev.bazaar.user.api.AuthApi;
import dev.bazaar.user.api.UsersApi;
import dev.bazaar.user.security.AdminBootstrap;
import dev.bazaar.user.security.AuthThrottle;
import dev.bazaar.user.security.PasswordHasher;
import dev.bazaar.user.security.SigningKeys;
import dev.bazaar.user.security.TokenIssuer;
import dev.bazaar.user.store.UserStore;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** user-service: users, password hashes, access tokens and the JWKS that verifies them. */
public class UserServiceVerticle extends ServiceVerticle<UserServiceConfig> {
  public static final String NAME = "user-service";
  private static final Logger LOG = LoggerFactory.getLogger(UserServiceVerticle.class);

  public UserServiceVerticle() {
    super(NAME, UserServiceConfig::from);
  }

  @Override
  protected Future<?> declare(ServiceRuntime runtime, UserServiceConfig config) {
    UserStore users = new UserStore(runtime.pool());
    PasswordHasher hasher = new PasswordHasher(vertx, config.bcryptCost());
    return SigningKeys.loadOrCreate(vertx, config.keysDir(), config.keyRotation().retention(), config.keyRotation().activation())
      .compose(keys -> {
        reloadPeriodically(runtime, keys, config.keyRotation().reload().toMillis());
        // the issuer verifies with its own keys, not through discovery
        JwtVerifier verifier = new JwtVerifier(config.service().auth(), () -> Future.succeededFuture(keys.publicSet()));
        TokenIssuer tokens = new TokenIssuer(keys, config.service().auth(), config.tokenTtlSeconds());
        new AuthApi(vertx, users, hasher, tokens, AuthThrottle.from(config.throttle())).mount(runtime.router());
        new UsersApi(users, keys, new AuthHandler(verifier)).mount(runtime.router());
        return AdminBootstrap.ensureAdmin(vertx, config, users, hasher);
      });
  }

  /**
   * {@code scripts/bazaar rotate-keys} writes a key file; every instance finds it here, on whatever
   * host shares the directory, with no signal or admin call to deliver.
   */
  private void reloadPeriodically(ServiceRuntime runtime, SigningKeys keys, long periodMs) {
    long timer = vertx.setPeriodic(periodMs, id -> vertx.executeBlocking(() -> {
      keys.reload();
      return null;
    }).onFailure(e -> LOG.warn("signing keys not reloaded: {}", e.toString())));
    runtime.closing(() -> Future.succeededFuture(vertx.cancelTimer(timer)));
  }
}
