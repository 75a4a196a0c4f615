package dev.bazaar.platform.messaging;

import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.platform.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the messaging integration tests share (waiting is {@link dev.bazaar.platform.testing.TestBed}'s, reading a topic {@link TestKafka}'s): plain JDBC, plain Kafka clients, verticles. */
final class MessagingKit {
  private MessagingKit() {
  }

  static String uniqueTopic(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static KafkaSettings settings(String bootstrap, JsonObject overrides) {
    JsonObject json = new JsonObject().put("bootstrap", bootstrap).put("clientId", "it")
      .put("relayLockRetryMs", 200).put("backoffBaseMs", 50).put("backoffCapMs", 500).put("handlerAttempts", 3)
      .put("requestTimeoutMs", 5000).mergeIn(overrides);
    return KafkaSettings.from(ConfigReader.of(json, Map.of()), Map.of());
  }

  // ---- plain JDBC (test thread)

  static Connection jdbc(DatabaseSettings db) throws SQLException {
    return TestPostgres.jdbc(db);
  }

  static long count(DatabaseSettings db, String sql, Object... params) {
    return TestPostgres.count(db, sql, params);
  }

  static void execute(DatabaseSettings db, String sql, Object... params) {
    TestPostgres.execute(db, sql, params);
  }

  // ---- plain Kafka (test thread)

  static KafkaProducer<String, byte[]> rawProducer(String bootstrap) {
    return TestKafka.producer(bootstrap, new ByteArraySerializer());
  }

  static org.apache.kafka.clients.producer.RecordMetadata produce(KafkaProducer<String, byte[]> producer, String topic,
                                                                  String key, String value) throws Exception {
    return producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
  }

  /** {@link TestKafka#readUntil} with the raw bytes of each value. */
  static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrap, String topic, Duration timeout,
                                                        Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    return TestKafka.readUntil(bootstrap, topic, new ByteArrayDeserializer(), timeout, done);
  }

  /** Reads the whole topic as it is now (up to the end offsets at the time of the call). */
  static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic, Duration.ofSeconds(10)).forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      long total = ends.values().stream().mapToLong(Long::longValue).sum();
      return readUntil(bootstrap, topic, Duration.ofSeconds(30), read -> read.size() >= total);
    }
  }

  static String text(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static EventEnvelope envelope(ConsumerRecord<String, byte[]> record) {
    return EventEnvelope.parse(text(record.value()));
  }

  // ---- verticles: the relay and the consumer run, as in a service, on their verticle's context

  static final class RelayVerticle extends VerticleBase {
    private final DatabaseSettings db;
    private final KafkaSettings settings;
    volatile OutboxRelay relay;
    private Pool pool;

    private final java.util.function.Consumer<OutboxRelay> setup;

    RelayVerticle(DatabaseSettings db, KafkaSettings settings) {
      this(db, settings, relay -> { });
    }

    /** {@code setup} runs on the relay's context before it starts (test hooks). */
    RelayVerticle(DatabaseSettings db, KafkaSettings settings, java.util.function.Consumer<OutboxRelay> setup) {
      this.db = db;
      this.settings = settings;
      this.setup = setup;
    }

    @Override
    public Future<?> start() {
      pool = Database.pool(vertx, db);
      OutboxRelay created = OutboxRelay.create(vertx, pool, db, settings);
      setup.accept(created);
      relay = created;
      return created.start();
    }

    @Override
    public Future<?> stop() {
      return relay.stop().eventually(() -> pool.close());
    }

    boolean active() {
      return relay != null && relay.isActive();
    }
  }

  static final class ConsumerVerticle extends VerticleBase {
    private final DatabaseSettings db;
    private final java.util.function.Function<Pool, IdempotentConsumer> factory;
    volatile IdempotentConsumer consumer;
    private Pool pool;

    ConsumerVerticle(DatabaseSettings db, java.util.function.Function<Pool, IdempotentConsumer> factory) {
      this.db = db;
      this.factory = factory;
    }

    @Override
    public Future<?> start() {
      pool = Database.pool(vertx, db);
      consumer = factory.apply(pool);
      return consumer.start();
    }

    @Override
    public Future<?> stop() {
      return consumer.stop().eventually(() -> pool.close());
    }

    Future<Long> lag() {
      io.vertx.core.Promise<Long> lag = io.vertx.core.Promise.promise();
      context.runOnContext(x -> consumer.lag().onComplete(lag));
      return lag.future();
    }

    /** As if the process died: the Kafka clients close at once, nothing more is committed. */
    Future<Void> crash() {
      io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
      context.runOnContext(x -> consumer.crash().onComplete(done));
      return done.future();
    }
  }

  /** The handler of the tests: records one row in {@code effects} per application. */
  static Future<Void> recordEffect(io.vertx.sqlclient.SqlConnection tx, String consumer, EventEnvelope event) {
    return tx.preparedQuery("INSERT INTO effects (consumer, event_id, order_id, type) VALUES ($1, $2, $3, $4)")
      .execute(io.vertx.sqlclient.Tuple.of(consumer, event.eventId(), event.orderId(), event.type()))
      .mapEmpty();
  }
}
