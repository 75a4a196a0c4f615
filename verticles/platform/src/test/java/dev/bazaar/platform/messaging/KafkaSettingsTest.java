package dev.bazaar.platform.messaging;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSettingsTest {

  @Test
  void defaults() {
    KafkaSettings s = KafkaSettings.from(ConfigReader.of(new JsonObject(), Map.of()), Map.of());
    assertThat(s.bootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(s.clientId()).isEqualTo("bazaar");
    assertThat(s.consumerGroup()).isNull();
    assertThat(s.partitions()).isEqualTo(3);
    assertThat(s.replicationFactor()).isEqualTo((short) 1);
    assertThat(s.deadLetterTopic("order-events")).isEqualTo("order-events.dlq");
    assertThat(s.relayPollIntervalMs()).isEqualTo(5000);
    assertThat(s.relayBatchSize()).isEqualTo(100);
    assertThat(s.backoff().ceilingMs(1)).isEqualTo(100);
    assertThat(s.backoff().ceilingMs(20)).isEqualTo(5000);
    assertThat(s.consumerSessionTimeoutMs()).isEqualTo(10_000);
  }

  /**
   * A consumer killed with SIGKILL never leaves its group: its partitions wait for the session
   * timeout, so the consumer's config carries ours (10 s), not the client's 45 s, with heartbeats
   * every third of it; and the setting keeps what it is given after withConsumerGroup.
   */
  @Test
  void consumersCarryTheSessionTimeout() {
    KafkaSettings s = KafkaSettings.from(ConfigReader.of(new JsonObject().put("consumerSessionTimeoutMs", 12_000), Map.of()), Map.of())
      .withConsumerGroup("g");
    Map<String, String> consumer = KafkaClients.consumer(s, "g", "saga");
    assertThat(consumer).containsEntry("session.timeout.ms", "12000").containsEntry("heartbeat.interval.ms", "4000");
    assertThat(KafkaClients.consumer(KafkaSettings.defaults("k:1"), "g", "saga")).containsEntry("session.timeout.ms", "10000");
    assertThatThrownBy(() -> KafkaSettings.from(ConfigReader.of(new JsonObject().put("consumerSessionTimeoutMs", 1000), Map.of()), Map.of()))
      .as("below the broker's group.min.session.timeout.ms").isInstanceOf(ConfigException.class);
  }

  @Test
  void bootstrapComesFromTheFileThenTheEnvironment() {
    ConfigReader empty = ConfigReader.of(new JsonObject(), Map.of());
    assertThat(KafkaSettings.from(empty, Map.of("BAZAAR_KAFKA_BOOTSTRAP", "k:1")).bootstrap()).isEqualTo("k:1");
    ConfigReader placeholder = ConfigReader.of(new JsonObject().put("bootstrap", "${BAZAAR_KAFKA_BOOTSTRAP:127.0.0.1:9092}"),
      Map.of("BAZAAR_KAFKA_BOOTSTRAP", "k:2"));
    assertThat(KafkaSettings.from(placeholder, Map.of()).bootstrap()).isEqualTo("k:2");
  }

  @Test
  void valuesAreReadAndValidated() {
    ConfigReader kafka = ConfigReader.of(new JsonObject().put("clientId", "order-service").put("consumerGroup", "order-service")
      .put("partitions", 6).put("deadLetterSuffix", "-dead").put("relayBatchSize", "50"), Map.of());
    KafkaSettings s = KafkaSettings.from(kafka, Map.of());
    assertThat(s.consumerGroup()).isEqualTo("order-service");
    assertThat(s.partitions()).isEqualTo(6);
    assertThat(s.relayBatchSize()).isEqualTo(50);
    assertThat(s.deadLetterTopic("t")).isEqualTo("t-dead");
    assertThat(s.withConsumerGroup("g").consumerGroup()).isEqualTo("g");
    assertThatThrownBy(() -> KafkaSettings.from(ConfigReader.of(new JsonObject().put("partitions", 0), Map.of()), Map.of()))
      .isInstanceOf(ConfigException.class).hasMessageContaining("partitions");
    assertThatThrownBy(() -> KafkaSettings.from(ConfigReader.of(new JsonObject().put("backoffBaseMs", 500).put("backoffCapMs", 100), Map.of()), Map.of()))
      .isInstanceOf(ConfigException.class);
  }
}
