package dev.bazaar.user.security;

import dev.bazaar.platform.secrets.SecretFiles;
import dev.bazaar.user.UserServiceConfig;
import dev.bazaar.user.domain.User;
import dev.bazaar.user.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Creates the first admin when there is none: email from {@code BAZAAR_ADMIN_EMAIL}, password from
 * {@code BAZAAR_ADMIN_PASSWORD} or, when none is given, generated and written (0600) to the admin
 * password file before the user is inserted, so a crash in between never leaves an admin whose
 * password nobody knows. An existing admin is left as it is.
 */
public final class AdminBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

  private AdminBootstrap() {
  }

  public static Future<Void> ensureAdmin(Vertx vertx, UserServiceConfig config, UserStore users, PasswordHasher hasher) {
    return users.byEmail(config.adminEmail()).compose(existing -> {
      if (existing.isPresent()) {
        return Future.succeededFuture();
      }
      return password(vertx, config)
        .compose(hasher::hash)
        .compose(hash -> users.insert(UUID.randomUUID(), config.adminEmail(), "Administrator", hash, List.of(User.ADMIN, User.CUSTOMER)))
        .onSuccess(inserted -> inserted.ifPresent(u -> LOG.info("created admin {} (password {})", u.email(),
          config.adminPassword() != null ? "from BAZAAR_ADMIN_PASSWORD" : "in " + config.adminPasswordFile().toAbsolutePath())))
        .mapEmpty();
    });
  }

  private static Future<String> password(Vertx vertx, UserServiceConfig config) {
    if (config.adminPassword() != null) {
      return Future.succeededFuture(config.adminPassword());
    }
    return vertx.executeBlocking(() -> readOrCreate(config.adminPasswordFile()));
  }

  static String readOrCreate(Path file) throws java.io.IOException {
    return SecretFiles.readOrCreate(file, 18);
  }
}
