package dev.bazaar.notification;

import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;

/** notification-service configuration, validated at start. */
public record NotificationServiceConfig(HttpSettings http, DatabaseSettings db, AuthSettings auth, ClientSettings client) {

  public static NotificationServiceConfig from(ConfigReader config) {
    return new NotificationServiceConfig(
      HttpSettings.from(config.section("http")),
      DatabaseSettings.from(config.section("db")),
      AuthSettings.from(config.section("auth")),
      ClientSettings.from(config.section("client")));
  }
}
