package dev.bazaar.inventory;

import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;

/** inventory-service configuration, validated at start. {@code client} guards the JWKS fetch from user-service. */
public record InventoryServiceConfig(HttpSettings http, DatabaseSettings db, AuthSettings auth, ClientSettings client) {

  public static InventoryServiceConfig from(ConfigReader config) {
    return new InventoryServiceConfig(
      HttpSettings.from(config.section("http")),
      DatabaseSettings.from(config.section("db")),
      AuthSettings.from(config.section("auth")),
      ClientSettings.from(config.section("client")));
  }
}
