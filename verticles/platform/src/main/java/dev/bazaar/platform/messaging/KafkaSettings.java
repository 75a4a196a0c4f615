package dev.bazaar.platform.messaging;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.resilience.RetryPolicy;

import java.util.Map;

/**
 * The service's Kafka: where it is, who we are to it, how topics are created, and the knobs of the
 * outbox relay and of idempotent consumers. Read from the {@code kafka} section of the service's
 * configuration, e.g.
 * <pre>{@code
 * "kafka": {
 *   "bootstrap": "${BAZAAR_KAFKA_BOOTSTRAP:127.0.0.1:9092}",
 *   "clientId": "order-service",
 *   "consumerGroup": "order-service"
 * }
 * }</pre>
 * Every other key has a default. Without {@code bootstrap} the environment's
 * {@code BAZAAR_KAFKA_BOOTSTRAP} is used, else {@code 127.0.0.1:9092}.
 *
 * @param bootstrap             {@code host:port[,host:port]}
 * @param clientId              prefix of the Kafka client ids (a role and a counter are appended)
 * @param consumerGroup         group of this service's {@link IdempotentConsumer}s; {@code null} if it consumes nothing
 * @param partitions            partitions of topics created by {@link Topics#ensure}
 * @param replicationFactor     replication factor of topics created by {@link Topics#ensure}
 * @param deadLetterSuffix      dead-letter topic of {@code t} is {@code t + deadLetterSuffix}
 * @param relayPollIntervalMs   the relay's safety-net poll (NOTIFY wakes it at once)
 * @param relayBatchSize        rows published, then marked, per round
 * @param relayLockRetryMs      how often a standby relay tries to become the active one
 * @param outboxRetentionHours  published outbox rows older than this are deleted by the active relay
 * @param consumerMaxQueued     records held in memory per partition before it is paused
 * @param consumerMaxPollRecords {@code max.poll.records}
 * @param consumerBatchSize     records of one partition applied in one database transaction
 * @param consumerSessionTimeoutMs {@code session.timeout.ms}: how long the group waits for a member that stopped
 *                              heartbeating (killed, frozen) before its partitions go to the others, or to its restarted self
 * @param handlerAttempts       quick retries of a failing handler before it is retried at the slow pace
 * @param processedRetentionHours {@code processed_events} rows older than this are deleted (must exceed the topics' retention)
 * @param requestTimeoutMs      Kafka request timeout, and the bound of one relay round-trip to PostgreSQL
 * @param backoffBaseMs         first retry delay (exponential, full jitter) after a Kafka or database error
 * @param backoffCapMs          the cap of that delay, also the slow pace of a stuck record
 */
public record KafkaSettings(String bootstrap, String clientId, String consumerGroup, int partitions,
                            short replicationFactor, String deadLetterSuffix, long relayPollIntervalMs,
                            int relayBatchSize, long relayLockRetryMs, int outboxRetentionHours,
                            int consumerMaxQueued, int consumerMaxPollRecords, int consumerBatchSize,
                            long consumerSessionTimeoutMs, int handlerAttempts,
                            int processedRetentionHours, long requestTimeoutMs, long backoffBaseMs,
                            long backoffCapMs) {
  public static final String BOOTSTRAP_ENV = "BAZAAR_KAFKA_BOOTSTRAP";
  public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

  public KafkaSettings {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new ConfigException("kafka.bootstrap is required");
    }
    if (backoffCapMs < backoffBaseMs) {
      throw new ConfigException("kafka.backoffCapMs must be at least kafka.backoffBaseMs");
    }
  }

  public static KafkaSettings from(ConfigReader kafka) {
    return from(kafka, System.getenv());
  }

  public static KafkaSettings from(ConfigReader kafka, Map<String, String> env) {
    String envBootstrap = env.get(BOOTSTRAP_ENV);
    String defaultBootstrap = envBootstrap == null || envBootstrap.isBlank() ? DEFAULT_BOOTSTRAP : envBootstrap.trim();
    return new KafkaSettings(
      kafka.optionalString("bootstrap", defaultBootstrap),
      kafka.optionalString("clientId", "bazaar"),
      kafka.optionalString("consumerGroup", null),
      kafka.integer("partitions", 3, 1, 1000),
      (short) kafka.integer("replicationFactor", 1, 1, 10),
      kafka.optionalString("deadLetterSuffix", ".dlq"),
      kafka.longValue("relayPollIntervalMs", 5000, 10, 600_000),
      kafka.integer("relayBatchSize", 100, 1, 10_000),
      kafka.longValue("relayLockRetryMs", 2000, 10, 600_000),
      kafka.integer("outboxRetentionHours", 24, 1, 24 * 365),
      kafka.integer("consumerMaxQueued", 200, 1, 100_000),
      kafka.integer("consumerMaxPollRecords", 100, 1, 10_000),
      kafka.integer("consumerBatchSize", 50, 1, 10_000),
      kafka.longValue("consumerSessionTimeoutMs", 10_000, 6_000, 300_000),
      kafka.integer("handlerAttempts", 5, 1, 1000),
      kafka.integer("processedRetentionHours", 24 * 7, 1, 24 * 3650),
      kafka.longValue("requestTimeoutMs", 10_000, 100, 300_000),
      kafka.longValue("backoffBaseMs", 100, 1, 60_000),
      kafka.longValue("backoffCapMs", 5000, 1, 600_000));
  }

  /** All defaults, against {@code bootstrap}. */
  public static KafkaSettings defaults(String bootstrap) {
    return from(ConfigReader.of(new io.vertx.core.json.JsonObject().put("bootstrap", bootstrap), Map.of()), Map.of());
  }

  public KafkaSettings withConsumerGroup(String group) {
    return new KafkaSettings(bootstrap, clientId, group, partitions, replicationFactor, deadLetterSuffix,
      relayPollIntervalMs, relayBatchSize, relayLockRetryMs, outboxRetentionHours, consumerMaxQueued,
      consumerMaxPollRecords, consumerBatchSize, consumerSessionTimeoutMs, handlerAttempts, processedRetentionHours, requestTimeoutMs,
      backoffBaseMs, backoffCapMs);
  }

  public String deadLetterTopic(String topic) {
    return topic + deadLetterSuffix;
  }

  /** The backoff after errors: exponential from {@link #backoffBaseMs} to {@link #backoffCapMs}, full jitter; callers bound attempts themselves. */
  public RetryPolicy backoff() {
    return new RetryPolicy(Integer.MAX_VALUE, backoffBaseMs, backoffCapMs, Long.MAX_VALUE);
  }
}
