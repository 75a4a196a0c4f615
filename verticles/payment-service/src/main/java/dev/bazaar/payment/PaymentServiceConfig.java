package dev.bazaar.payment;

import dev.bazaar.payment.charging.ChargingSettings;
import dev.bazaar.payment.client.ProviderSettings;
import dev.bazaar.platform.boot.ServiceConfig;
import dev.bazaar.platform.boot.ServiceSettings;
import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.secrets.Sealer;

/** payment-service configuration, validated at start. */
public record PaymentServiceConfig(ServiceSettings service, ProviderSettings provider, ChargingSettings charging,
                                   Sealer paymentTokenSeal) implements ServiceConfig {

  public PaymentServiceConfig {
    if (charging.leaseMs() < 2 * (provider.calls().timeoutMs() + provider.calls().backoffCapMs())) {
      throw new ConfigException("charging.leaseMs must be at least 2 * (provider.timeoutMs + provider.backoffCapMs):"
        + " a lease is renewed before every attempt");
    }
  }

  public static PaymentServiceConfig from(ConfigReader config) {
    return new PaymentServiceConfig(
      ServiceSettings.from(config, PaymentServiceVerticle.NAME),
      ProviderSettings.from(config.section("provider")),
      ChargingSettings.from(config.section("charging")),
      // shared with order-service only: StockReserved carries the card token sealed
      Sealer.from(config.section("paymentTokenSeal"), "paymentTokenSeal"));
  }
}
