package dev.bazaar.user;

import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.db.Database;
import dev.bazaar.user.api.AuthApi;
import dev.bazaar.user.api.UsersApi;
import dev.bazaar.user.security.AdminBootstrap;
import dev.bazaar.user.security.AuthThrottle;
import dev.bazaar.user.security.PasswordHasher;
import dev.bazaar.user.security.SigningKeys;
import dev.bazaar.user.security.TokenIssuer;
import dev.bazaar.user.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** user-service: users, password hashes, access tokens and the JWKS that verifies them. */
public class UserServiceVerticle extends VerticleBase {
  public static final String NAME = "user-service";
  private static final Logger LOG = LoggerFactory.getLogger(UserServiceVerticle.class);

  private ServiceRuntime runtime;
  private Pool pool;

  @Override
  public Future<?> start() {
    return ConfigLoader.load(vertx, NAME, config())
      .map(UserServiceConfig::from)
      .compose(config -> Database.open(vertx, config.db())
        .compose(opened -> {
          pool = opened;
          return SigningKeys.loadOrCreate(vertx, config.keysDir(), config.keyRotation().retention(),
            config.keyRotation().activation());
        })
        .compose(keys -> ServiceRuntime.create(vertx, NAME)
          .compose(created -> {
            runtime = created;
            UserStore users = new UserStore(pool);
            PasswordHasher hasher = new PasswordHasher(vertx, config.bcryptCost());
            reloadPeriodically(keys, config.keyRotation().reload().toMillis());
            TokenIssuer tokens = new TokenIssuer(keys, config.auth(), config.tokenTtlSeconds());
            JwtVerifier verifier = new JwtVerifier(config.auth(), () -> Future.succeededFuture(keys.publicSet()));
            runtime.health().database(pool);
            Router router = runtime.router(config.http());
            new AuthApi(vertx, users, hasher, tokens, AuthThrottle.from(config.throttle())).mount(router);
            new UsersApi(users, keys, new AuthHandler(verifier)).mount(router);
            return AdminBootstrap.ensureAdmin(vertx, config, users, hasher)
              .compose(v -> runtime.serve(router, config.http()));
          })));
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = runtime == null ? Future.succeededFuture() : runtime.stop();
    return stopped.eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }

  /**
   * {@code scripts/bazaar rotate-keys} writes a key file; every instance finds it here, on whatever
   * host shares the directory, with no signal or admin call to deliver. The timer ends with the verticle.
   */
  private void reloadPeriodically(SigningKeys keys, long periodMs) {
    vertx.setPeriodic(periodMs, id -> vertx.executeBlocking(() -> {
      keys.reload();
      return null;
    }).onFailure(e -> LOG.warn("signing keys not reloaded: {}", e.toString())));
  }
}
