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
