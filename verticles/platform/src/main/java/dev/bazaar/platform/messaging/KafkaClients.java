package dev.bazaar.platform.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Kafka client configurations shared by the relay, the consumers and the topic creation. */
final class KafkaClients {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  static final long RECONNECT_BACKOFF_MAX_MS = 1000;

  private KafkaClients() {
  }

  /** Unique in this JVM, so that Kafka's per-client JMX beans never collide. */
  static String clientId(KafkaSettings settings, String role) {
    return settings.clientId() + "-" + role + "-" + SEQUENCE.incrementAndGet();
  }

  static Map<String, String> common(KafkaSettings settings, String role) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", settings.bootstrap());
    config.put("client.id", clientId(settings, role));
    config.put("request.timeout.ms", Long.toString(settings.requestTimeoutMs()));
    config.put("default.api.timeout.ms", Long.toString(settings.requestTimeoutMs()));
    config.put("reconnect.backoff.ms", Long.toString(settings.backoffBaseMs()));
    // a restarted broker is found again within a second, whatever the (longer) backoff of our own retries
    config.put("reconnect.backoff.max.ms", Long.toString(Math.min(settings.backoffCapMs(), RECONNECT_BACKOFF_MAX_MS)));
    config.put("retry.backoff.ms", Long.toString(settings.backoffBaseMs()));
    return config;
  }

  /**
   * Idempotent, acks from all in-sync replicas, at most 5 requests in flight (what keeps order per
   * partition with idempotence, even across retries), sent at once (no linger).
   */
  static Map<String, String> producer(KafkaSettings settings, String role) {
    Map<String, String> config = common(settings, role);
    config.remove("default.api.timeout.ms");
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("max.in.flight.requests.per.connection", "5");
    config.put("linger.ms", "0");
    config.put("max.block.ms", Long.toString(settings.requestTimeoutMs()));
    config.put("delivery.timeout.ms", Long.toString(settings.requestTimeoutMs() * 3));
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "io.vertx.kafka.client.serialization.BufferSerializer");
    return config;
  }

  /**
   * Manual commits, from the earliest record when the group has no offset yet; cooperative
   * rebalancing, so that a member joining or leaving only moves the partitions that change owner.
   * The session timeout is short (10 s, not the client's 45 s): a member killed with SIGKILL never
   * says goodbye, and until the group gives up on it, its partitions are read by no one, not even
   * by the instance restarted in its place. Heartbeats go every third of it, from the client's own
   * thread, so a busy event loop does not count as dead.
   */
  static Map<String, String> consumer(KafkaSettings settings, String group, String role) {
    Map<String, String> config = common(settings, role);
    config.put("group.id", group);
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("max.poll.records", Integer.toString(settings.consumerMaxPollRecords()));
    config.put("isolation.level", "read_committed");
    config.put("session.timeout.ms", Long.toString(settings.consumerSessionTimeoutMs()));
    config.put("heartbeat.interval.ms", Long.toString(settings.consumerSessionTimeoutMs() / 3));
    config.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
    return config;
  }

  static Map<String, String> admin(KafkaSettings settings) {
    return common(settings, "admin");
  }
}
