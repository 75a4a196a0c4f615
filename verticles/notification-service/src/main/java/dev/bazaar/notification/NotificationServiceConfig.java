package dev.bazaar.notification;

import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.platform.messaging.KafkaSettings;

/**
 * notification-service configuration, validated at start. {@code kafka} is where the order saga's
 * events are consumed from; {@code null} when the configuration has no {@code kafka} section (the
 * service then serves its event-bus API only); the consumer group defaults to the service's name.
 */
public record NotificationServiceConfig(HttpSettings http, DatabaseSettings db, AuthSettings auth, ClientSettings client,
                                        KafkaSettings kafka) {

  public static NotificationServiceConfig from(ConfigReader config) {
    return new NotificationServiceConfig(
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
    return kafka.consumerGroup() == null ? kafka.withConsumerGroup(NotificationServiceVerticle.NAME) : kafka;
  }
}
