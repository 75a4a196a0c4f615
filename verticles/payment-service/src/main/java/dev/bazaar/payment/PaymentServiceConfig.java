package dev.bazaar.payment;

import dev.bazaar.payment.charging.ChargingSettings;
import dev.bazaar.payment.provider.ProviderSettings;
import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.secrets.Sealer;

/** payment-service configuration, validated at start. */
public record PaymentServiceConfig(HttpSettings http, DatabaseSettings db, AuthSettings auth, ClientSettings client,
                                   KafkaSettings kafka, ProviderSettings provider, ChargingSettings charging,
                                   Sealer paymentTokenSeal) {

  public PaymentServiceConfig {
    if (kafka.consumerGroup() == null || kafka.consumerGroup().isBlank()) {
      throw new ConfigException("kafka.consumerGroup is required (payment-service consumes inventory-events and order-events)");
    }
    if (charging.leaseMs() < 2 * (provider.timeoutMs() + provider.backoffCapMs())) {
      throw new ConfigException("charging.leaseMs must be at least 2 * (provider.timeoutMs + provider.backoffCapMs):"
        + " a lease is renewed before every attempt");
    }
  }

  public static PaymentServiceConfig from(ConfigReader config) {
    return new PaymentServiceConfig(
      HttpSettings.from(config.section("http")),
      DatabaseSettings.from(config.section("db")),
      AuthSettings.from(config.section("auth")),
      ClientSettings.from(config.section("client")),
      KafkaSettings.from(config.section("kafka")),
      ProviderSettings.from(config.section("provider")),
      ChargingSettings.from(config.section("charging")),
      // shared with order-service only: StockReserved carries the card token sealed
      Sealer.from(config.section("paymentTokenSeal"), "paymentTokenSeal"));
  }
}
