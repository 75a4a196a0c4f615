package dev.bazaar.user;

import dev.bazaar.platform.boot.ServiceConfig;
import dev.bazaar.platform.boot.ServiceSettings;
import dev.bazaar.platform.config.ConfigReader;

import java.nio.file.Path;
import java.time.Duration;

/** user-service configuration, validated at start. */
public record UserServiceConfig(ServiceSettings service, int tokenTtlSeconds, Path keysDir, KeyRotation keyRotation,
                                int bcryptCost, String adminEmail, String adminPassword, Path adminPasswordFile,
                                ConfigReader throttle) implements ServiceConfig {

  public static UserServiceConfig from(ConfigReader config) {
    ConfigReader auth = config.section("auth");
    ConfigReader admin = config.section("admin");
    int tokenTtlSeconds = auth.integer("tokenTtlSeconds", 3600, 60, 86_400);
    return new UserServiceConfig(
      ServiceSettings.from(config, UserServiceVerticle.NAME),
      tokenTtlSeconds,
      Path.of(auth.optionalString("keysDir", ".bazaar/keys")),
      new KeyRotation(
        Duration.ofSeconds(auth.integer("keysReloadSeconds", 10, 1, 3600)),
        Duration.ofSeconds(auth.integer("keyActivationSeconds", 30, 0, 86_400)),
        Duration.ofSeconds(tokenTtlSeconds).plusSeconds(auth.integer("keyRetentionMarginSeconds", 300, 0, 86_400))),
      auth.integer("bcryptCost", 10, 4, 16),
      admin.optionalString("email", "admin@bazaar.local").toLowerCase(),
      admin.optionalString("password", null),
      Path.of(admin.optionalString("passwordFile", ".bazaar/admin-password")),
      config.section("throttle"));
  }

  /**
   * How the signing-key ring changes: every instance re-reads the key directory every
   * {@code reload}; a new key signs once it is {@code activation} old (longer than {@code reload},
   * so every instance publishes it first); a replaced key stays in the JWKS for {@code retention}
   * (token lifetime + margin for clock skew and late reloads).
   */
  public record KeyRotation(Duration reload, Duration activation, Duration retention) {
  }
}
