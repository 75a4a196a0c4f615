package dev.bazaar.payment;

import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;

/** payment-service configuration, validated at start. */
public record PaymentServiceConfig(HttpSettings http, DatabaseSettings db, AuthSettings auth, ClientSettings client) {

  public static PaymentServiceConfig from(ConfigReader config) {
    return new PaymentServiceConfig(
      HttpSettings.from(config.section("http")),
      DatabaseSettings.from(config.section("db")),
      AuthSettings.from(config.section("auth")),
      ClientSettings.from(config.section("client")));
  }
}
