package dev.bazaar.product;

import dev.bazaar.platform.boot.ServiceConfig;
import dev.bazaar.platform.boot.ServiceSettings;
import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.product.domain.ProductDraft;

import java.util.List;
import java.util.Set;

/** product-service configuration, validated at start. */
public record ProductServiceConfig(ServiceSettings service, Set<String> currencies) implements ServiceConfig {
  static final List<String> DEFAULT_CURRENCIES = List.of("EUR", "USD", "GBP");

  public static ProductServiceConfig from(ConfigReader config) {
    return new ProductServiceConfig(
      ServiceSettings.from(config, ProductServiceVerticle.NAME),
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
