package dev.bazaar.inventory;

import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.platform.messaging.KafkaSettings;

/**
 * inventory-service configuration, validated at start. {@code client} guards the JWKS fetch from
 * user-service. {@code kafka} is the order saga's broker and consumer group; {@code null} when the
 * configuration has no {@code kafka} section (the service then serves HTTP and the event bus only,
 * as tests of other services that deploy it do); the consumer group defaults to the service's name.
 */
public record InventoryServiceConfig(HttpSettings http, DatabaseSettings db, AuthSettings auth, ClientSettings client,
                                     KafkaSettings kafka) {

  public static InventoryServiceConfig from(ConfigReader config) {
    return new InventoryServiceConfig(
      HttpSettings.from(config.section("http")),
      DatabaseSettings.from(config.section("db")),
      AuthSettings.from(config.section("auth")),
      ClientSettings.from(config.section("client")),
      kafka(config));
  }

  private static KafkaSettings kafka(ConfigReader config) {
    if (config.json().getValue("kafka") == null) {
      return null;
    }
    KafkaSettings kafka = KafkaSettings.from(config.section("kafka"));
    return kafka.consumerGroup() == null ? kafka.withConsumerGroup(InventoryServiceVerticle.NAME) : kafka;
  }
}
