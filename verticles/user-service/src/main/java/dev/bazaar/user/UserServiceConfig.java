package dev.bazaar.user;

import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;

import java.nio.file.Path;

/** user-service configuration, validated at start. */
public record UserServiceConfig(HttpSettings http, DatabaseSettings db, AuthSettings auth, int tokenTtlSeconds,
                                Path keysDir, int bcryptCost, String adminEmail, String adminPassword,
                                Path adminPasswordFile, ConfigReader throttle) {

  public static UserServiceConfig from(ConfigReader config) {
    ConfigReader auth = config.section("auth");
    ConfigReader admin = config.section("admin");
    return new UserServiceConfig(
      HttpSettings.from(config.section("http")),
      DatabaseSettings.from(config.section("db")),
      AuthSettings.from(auth),
      auth.integer("tokenTtlSeconds", 3600, 60, 86_400),
      Path.of(auth.optionalString("keysDir", ".bazaar/keys")),
      auth.integer("bcryptCost", 10, 4, 16),
      admin.optionalString("email", "admin@bazaar.local").toLowerCase(),
      admin.optionalString("password", null),
      Path.of(admin.optionalString("passwordFile", ".bazaar/admin-password")),
      config.section("throttle"));
  }
}
