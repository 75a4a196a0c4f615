package dev.bazaar.platform.boot;

import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.platform.messaging.KafkaSettings;

/**
 * The part of a service's configuration that the platform reads for every service: its HTTP
 * server, its database ({@code null} for the gateway), token checks, the guarded
 * clients, and Kafka.
 *
 * <p>Kafka has one rule for all: a service that publishes or consumes events uses the {@code kafka}
 * section (every key has a default, the bootstrap servers come from {@code BAZAAR_KAFKA_BOOTSTRAP});
 * only {@code "kafka": {"enabled": false}} switches it off, and then the service takes no part in
 * the saga (test beds that need a service's HTTP side only). {@code kafka} is {@code null} then.
 * The consumer group defaults to the service's name.
 */
public record ServiceSettings(String name, HttpSettings http, DatabaseSettings db, AuthSettings auth, ClientSettings client,
                              KafkaSettings kafka) implements ServiceConfig {

  /** A service with its own database: {@code db} is required. */
  public static ServiceSettings from(ConfigReader config, String name) {
    return of(config, name, DatabaseSettings.from(config.section("db")));
  }

  /** A service without a database of its own (the gateway). */
  public static ServiceSettings withoutDatabase(ConfigReader config, String name) {
    return of(config, name, null);
  }

  private static ServiceSettings of(ConfigReader config, String name, DatabaseSettings db) {
    return new ServiceSettings(
      name,
      HttpSettings.from(config.section("http")),
      db,
      AuthSettings.from(config.section("auth")),
      ClientSettings.from(config.section("client")),
      kafka(config.section("kafka"), name));
  }

  private static KafkaSettings kafka(ConfigReader section, String name) {
    if (!section.bool("enabled", true)) {
      return null;
    }
    KafkaSettings kafka = KafkaSettings.from(section);
    return kafka.consumerGroup() == null || kafka.consumerGroup().isBlank() ? kafka.withConsumerGroup(name) : kafka;
  }

  @Override
  public ServiceSettings service() {
    return this;
  }
}
