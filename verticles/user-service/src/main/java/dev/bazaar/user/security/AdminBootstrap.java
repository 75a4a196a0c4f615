package dev.bazaar.user.security;

import dev.bazaar.user.UserServiceConfig;
import dev.bazaar.user.domain.User;
import dev.bazaar.user.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
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
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "admin", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, generated + "\n", StandardCharsets.UTF_8);
    try {
      Files.createLink(file, temp);
      return generated;
    } catch (FileAlreadyExistsException e) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
