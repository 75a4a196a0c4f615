package dev.bazaar.product;

import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.product.domain.ProductDraft;

import java.util.List;
import java.util.Set;

/** product-service configuration, validated at start. */
public record ProductServiceConfig(HttpSettings http, DatabaseSettings db, AuthSettings auth, ClientSettings client,
                                   Set<String> currencies) {
  static final List<String> DEFAULT_CURRENCIES = List.of("EUR", "USD", "GBP");

  public static ProductServiceConfig from(ConfigReader config) {
    return new ProductServiceConfig(
      HttpSettings.from(config.section("http")),
      DatabaseSettings.from(config.section("db")),
      AuthSettings.from(config.section("auth")),
      ClientSettings.from(config.section("client")),
      currencies(config.section("catalog").strings("currencies")));
  }

  private static Set<String> currencies(List<String> configured) {
    try {
      return ProductDraft.currencies(configured.isEmpty() ? DEFAULT_CURRENCIES : configured);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("catalog." + e.getMessage());
    }
  }
}
