package dev.bazaar.platform.messaging;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.messaging.IdempotentConsumer.Outcome;
import dev.bazaar.platform.messaging.MessagingKit.ConsumerVerticle;
import dev.bazaar.platform.testing.TestKafka;
import dev.bazaar.platform.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.messaging.MessagingKit.count;
import static dev.bazaar.platform.messaging.MessagingKit.header;
import static dev.bazaar.platform.messaging.MessagingKit.produce;
import static dev.bazaar.platform.messaging.MessagingKit.readUntil;
import static dev.bazaar.platform.messaging.MessagingKit.text;
import static dev.bazaar.platform.messaging.MessagingKit.uniqueTopic;
import static dev.bazaar.platform.testing.TestBed.until;
import static org.assertj.core.api.Assertions.assertThat;

/** Idempotent consumers against a real PostgreSQL and a real Kafka broker. */
class IdempotentConsumerIT {
  static Vertx vertx;
  static DatabaseSettings db;
  static String bootstrap;
  static KafkaSettings settings;
  static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.database("messaging_test");
    bootstrap = TestKafka.bootstrap();
    settings = MessagingKit.settings(bootstrap, new JsonObject());
    vertx = Vertx.vertx();
    await(Database.migrate(vertx, db));
    producer = MessagingKit.rawProducer(bootstrap);
  }

  @AfterAll
  static void stop() throws Exception {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @AfterEach
  void undeployAll() throws Exception {
    for (String id : Set.copyOf(vertx.deploymentIDs())) {
      await(vertx.undeploy(id));
    }
  }

  @Test
  void theSameEventDeliveredTwiceIsAppliedOnce() throws Exception {
    String topic = uniqueTopic("consumer-dup");
    Probe probe = new Probe("dup-" + UUID.randomUUID());
    await(vertx.deployVerticle(probe.verticle(topic, builder -> builder)));

    EventEnvelope paid = EventEnvelope.create("PaymentSucceeded", UUID.randomUUID().toString(), new JsonObject().put("cents", 500));
    EventEnvelope other = EventEnvelope.create("PaymentSucceeded", UUID.randomUUID().toString(), new JsonObject());
    produce(producer, topic, paid.orderId(), paid.toJson().encode());
    produce(producer, topic, paid.orderId(), paid.toJson().encode());
    produce(producer, topic, other.orderId(), other.toJson().encode());

    until("three records processed", Duration.ofSeconds(30), () -> probe.outcomes.size() == 3);
    assertThat(probe.count(Outcome.APPLIED)).isEqualTo(2);
    assertThat(probe.count(Outcome.DUPLICATE)).isEqualTo(1);
    assertThat(probe.handled).containsExactlyInAnyOrder(paid.eventId(), other.eventId());
    assertThat(effects(probe.group, paid.eventId())).isEqualTo(1);
    assertThat(effects(probe.group, other.eventId())).isEqualTo(1);
    assertThat(count(db, "SELECT count(*) FROM processed_events WHERE consumer = ?", probe.group)).isEqualTo(2);
    until("offsets committed to the end", Duration.ofSeconds(10), () -> committedLag(probe.group, topic) == 0);
    assertThat(await(probe.verticle.lag())).isZero();
  }

  @Test
  void poisonGoesToTheDeadLetterTopicWithAReasonAndLaterRecordsAreStillConsumed() throws Exception {
    String topic = uniqueTopic("consumer-poison");
    String key = UUID.randomUUID().toString();
    Probe probe = new Probe("poison-" + UUID.randomUUID());
    await(vertx.deployVerticle(probe.verticle(topic, builder -> builder
      .ignore("OrderConfirmed")
      .on("Invalid", (tx, event) -> Future.failedFuture(new PoisonEventException("payload lacks cents"))))));

    EventEnvelope unknown = EventEnvelope.create("Teleported", key, new JsonObject());
    EventEnvelope ignored = EventEnvelope.create("OrderConfirmed", key, new JsonObject());
    EventEnvelope rejected = EventEnvelope.create("Invalid", key, new JsonObject());
    EventEnvelope good = EventEnvelope.create("PaymentSucceeded", key, new JsonObject());
    String notJson = "this is not json {";
    String malformed = new JsonObject().put("eventId", "42").put("type", "PaymentSucceeded").toString();
    org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> traced =
      new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, notJson.getBytes(StandardCharsets.UTF_8));
    traced.headers().add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
    producer.send(traced).get(30, TimeUnit.SECONDS);
    produce(producer, topic, key, malformed);
    produce(producer, topic, key, unknown.toJson().encode());
    produce(producer, topic, key, EventEnvelope.create("PaymentSucceeded", "another-order", new JsonObject()).toJson().encode());
    produce(producer, topic, key, ignored.toJson().encode());
    produce(producer, topic, key, rejected.toJson().encode());
    produce(producer, topic, key, good.toJson().encode());

    until("the good record is applied", Duration.ofSeconds(30), () -> effects(probe.group, good.eventId()) == 1);
    until("seven records processed", Duration.ofSeconds(10), () -> probe.outcomes.size() == 7);
    assertThat(probe.outcomes).containsExactly(Outcome.DEAD_LETTERED, Outcome.DEAD_LETTERED, Outcome.DEAD_LETTERED,
      Outcome.DEAD_LETTERED, Outcome.IGNORED, Outcome.DEAD_LETTERED, Outcome.APPLIED);

    List<ConsumerRecord<String, byte[]>> dead = readUntil(bootstrap, settings.deadLetterTopic(topic), Duration.ofSeconds(30),
      r -> r.size() >= 5);
    assertThat(dead).hasSize(5);
    assertThat(dead).allSatisfy(r -> {
      assertThat(header(r, IdempotentConsumer.DLQ_TOPIC)).isEqualTo(topic);
      assertThat(header(r, IdempotentConsumer.DLQ_CONSUMER)).isEqualTo(probe.group);
      assertThat(header(r, IdempotentConsumer.DLQ_OFFSET)).isNotNull();
    });
    assertThat(dead).extracting(r -> header(r, IdempotentConsumer.DLQ_REASON)).containsExactly(
      "value is not JSON",
      "eventId is not a UUID",
      "unknown event type Teleported",
      "record key does not match orderId",
      "payload lacks cents");
    assertThat(text(dead.get(0).value())).isEqualTo(notJson);
    assertThat(dead.get(0).key()).isEqualTo(key);
    assertThat(header(dead.get(0), "traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(text(dead.get(1).value())).isEqualTo(malformed);
    // a rejected handler's transaction rolled back: not even marked as processed
    assertThat(count(db, "SELECT count(*) FROM processed_events WHERE consumer = ?", probe.group)).isEqualTo(1);
    until("offsets committed past the poison", Duration.ofSeconds(10), () -> committedLag(probe.group, topic) == 0);
  }

  @Test
  void aFailingHandlerIsRetriedAndNothingBehindItOvertakesIt() throws Exception {
    String topic = uniqueTopic("consumer-retry");
    String key = UUID.randomUUID().toString();
    AtomicInteger failuresLeft = new AtomicInteger(5); // more than handlerAttempts (3): reaches the slow pace
    Probe probe = new Probe("retry-" + UUID.randomUUID());
    await(vertx.deployVerticle(probe.verticle(topic, builder -> builder
      .on("Flaky", (tx, event) -> failuresLeft.getAndDecrement() > 0
        ? Future.failedFuture(new IllegalStateException("database unavailable (simulated)"))
        : MessagingKit.recordEffect(tx, probe.group, event)))));

    EventEnvelope flaky = EventEnvelope.create("Flaky", key, new JsonObject());
    EventEnvelope after = EventEnvelope.create("PaymentSucceeded", key, new JsonObject());
    produce(producer, topic, key, flaky.toJson().encode());
    produce(producer, topic, key, after.toJson().encode());

    until("both applied", Duration.ofSeconds(30), () -> probe.outcomes.size() == 2);
    assertThat(failuresLeft.get()).isNegative();
    assertThat(probe.outcomes).containsExactly(Outcome.APPLIED, Outcome.APPLIED);
    assertThat(effectOrder(probe.group)).containsExactly(flaky.eventId(), after.eventId());
    until("offsets committed", Duration.ofSeconds(10), () -> committedLag(probe.group, topic) == 0);
  }

  @Test
  void offsetsAreCommittedOnlyAfterTheDatabaseCommitSoACrashLosesNothingAndAppliesNothingTwice() throws Exception {
    String topic = uniqueTopic("consumer-crash");
    String group = "crash-" + UUID.randomUUID();
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(EventEnvelope.create("Step", "order-" + (i % 3), new JsonObject().put("seq", i)));
    }
    EventEnvelope stuck = events.get(16);

    // first life: applies events, but its offset commits never reach Kafka; one handler hangs mid-way
    Promise<Void> hanging = Promise.promise();
    AtomicInteger commitsAttempted = new AtomicInteger();
    // one record per transaction, so that what precedes the hanging record in its partition is applied
    Probe first = new Probe(group, MessagingKit.settings(bootstrap, new JsonObject().put("consumerBatchSize", 1)));
    ConsumerVerticle firstLife = first.verticle(topic, builder -> builder, consumer -> consumer.beforeCommit(offsets -> {
      commitsAttempted.incrementAndGet();
      return Future.failedFuture("commit lost");
    }), event -> event.eventId().equals(stuck.eventId()) ? hanging.future() : null);
    await(vertx.deployVerticle(firstLife));
    List<org.apache.kafka.clients.producer.RecordMetadata> sent = new ArrayList<>();
    for (EventEnvelope event : events) {
      sent.add(produce(producer, topic, event.orderId(), event.toJson().encode()));
    }
    // everything but what follows the stuck record in its partition
    var blocker = sent.get(events.indexOf(stuck));
    int appliedBeforeCrash = (int) sent.stream()
      .filter(m -> m.partition() != blocker.partition() || m.offset() < blocker.offset()).count();
    assertThat(appliedBeforeCrash).isBetween(16, 29);
    until("the first life applied all it could", Duration.ofSeconds(30),
      () -> first.count(Outcome.APPLIED) == appliedBeforeCrash && first.hanging.get() == 1);
    // offsets are committed every second: wait until a commit was tried (and lost)
    until("a commit was attempted", Duration.ofSeconds(10), () -> commitsAttempted.get() > 0);
    assertThat(committedLag(group, topic)).as("nothing committed").isEqualTo(30);

    await(firstLife.crash());
    hanging.fail("the process died"); // its transaction rolls back
    assertThat(effects(group, stuck.eventId())).isZero();
    long effectsBeforeRestart = count(db, "SELECT count(*) FROM effects WHERE consumer = ?", group);
    assertThat(effectsBeforeRestart).isEqualTo(appliedBeforeCrash);

    // second life, same group: gets every record again, skips what was applied, applies the rest
    Probe second = new Probe(group);
    await(vertx.deployVerticle(second.verticle(topic, builder -> builder)));
    until("the second life processed every record", Duration.ofSeconds(30), () -> second.outcomes.size() == 30);
    assertThat(second.count(Outcome.DUPLICATE)).isEqualTo(appliedBeforeCrash);
    assertThat(second.count(Outcome.APPLIED)).isEqualTo(30 - appliedBeforeCrash);
    for (EventEnvelope event : events) {
      assertThat(effects(group, event.eventId())).as("effects of " + event.payload()).isEqualTo(1);
    }
    until("offsets committed", Duration.ofSeconds(10), () -> committedLag(group, topic) == 0);
    for (String order : List.of("order-0", "order-1", "order-2")) {
      List<Integer> seqs = effectSeqs(group, order, events);
      assertThat(seqs).as("order of " + order).isSorted();
    }

    // a graceful stop and restart: nothing is processed again
    undeployAll();
    EventEnvelope late = EventEnvelope.create("Step", "order-0", new JsonObject().put("seq", 30));
    produce(producer, topic, late.orderId(), late.toJson().encode());
    Probe third = new Probe(group);
    await(vertx.deployVerticle(third.verticle(topic, builder -> builder)));
    until("the third life applied the new record", Duration.ofSeconds(30), () -> effects(group, late.eventId()) == 1);
    until("offsets committed", Duration.ofSeconds(10), () -> committedLag(group, topic) == 0);
    assertThat(third.outcomes).containsExactly(Outcome.APPLIED);
  }

  @Test
  void aPartitionsQueuedRecordsCommitTogetherAndABatchThatFailsIsRetriedOneRecordAtATime() throws Exception {
    String topic = uniqueTopic("consumer-batch");
    String group = "batch-" + UUID.randomUUID();
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(EventEnvelope.create("Step", "order-b", new JsonObject().put("seq", i)));
    }
    for (EventEnvelope event : events) {
      produce(producer, topic, event.orderId(), event.toJson().encode()); // queued before the consumer starts
    }
    EventEnvelope flaky = events.get(15);
    AtomicInteger flakyFailures = new AtomicInteger();
    Probe probe = new Probe(group, MessagingKit.settings(bootstrap, new JsonObject().put("consumerBatchSize", 10)));
    await(vertx.deployVerticle(probe.verticle(topic, builder -> builder, consumer -> { },
      event -> event.eventId().equals(flaky.eventId()) && flakyFailures.getAndIncrement() == 0
        ? Future.failedFuture("a transient failure") : null)));

    until("every record processed", Duration.ofSeconds(30), () -> probe.outcomes.size() == 30);
    assertThat(probe.count(Outcome.APPLIED)).isEqualTo(30);
    for (EventEnvelope event : events) {
      assertThat(effects(group, event.eventId())).as("effects of " + event.payload()).isEqualTo(1);
    }
    assertThat(effectSeqs(group, "order-b", events)).as("order kept").isSorted();
    assertThat(flakyFailures.get()).as("the flaky handler ran again after its batch failed").isEqualTo(2);
    // a transaction's rows share its start time: fewer distinct times than records means batches committed together
    long transactions = count(db, "SELECT count(DISTINCT processed_at) FROM processed_events WHERE consumer = ?", group);
    assertThat(transactions).as("transactions for 30 records in batches of 10").isLessThan(30);
    until("offsets committed", Duration.ofSeconds(10), () -> committedLag(group, topic) == 0);
  }

  @Test
  void aDatabaseOutageIsWaitedOutWithoutSkippingARecord() throws Exception {
    String topic = uniqueTopic("consumer-outage");
    String key = UUID.randomUUID().toString();
    AtomicInteger retries = new AtomicInteger();
    Probe probe = new Probe("outage-" + UUID.randomUUID());
    await(vertx.deployVerticle(probe.verticle(topic, builder -> builder, consumer -> consumer.onRetry(err -> retries.incrementAndGet()),
      event -> null)));
    EventEnvelope warmUp = EventEnvelope.create("PaymentSucceeded", key, new JsonObject());
    produce(producer, topic, key, warmUp.toJson().encode());
    until("the consumer runs", Duration.ofSeconds(30), () -> probe.outcomes.size() == 1);

    List<EventEnvelope> events = new ArrayList<>();
    try (var admin = TestPostgres.server().getPostgresDatabase().getConnection(); var s = admin.createStatement()) {
      s.execute("ALTER DATABASE messaging_test ALLOW_CONNECTIONS false");
      try {
        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'messaging_test' AND pid <> pg_backend_pid()");
        for (int i = 0; i < 3; i++) {
          EventEnvelope event = EventEnvelope.create("Step", key, new JsonObject().put("seq", i));
          events.add(event);
          produce(producer, topic, key, event.toJson().encode());
        }
        // past the quick attempts (3), at the slow pace
        until("the first record is being retried", Duration.ofSeconds(30), () -> retries.get() >= 4);
        assertThat(probe.outcomes).hasSize(1);
      } finally {
        s.execute("ALTER DATABASE messaging_test ALLOW_CONNECTIONS true");
      }
    }
    until("the records are applied once the database is back", Duration.ofSeconds(30), () -> probe.outcomes.size() == 4);
    assertThat(probe.count(Outcome.APPLIED)).isEqualTo(4);
    assertThat(effectOrder(probe.group)).containsExactly(warmUp.eventId(), events.get(0).eventId(),
      events.get(1).eventId(), events.get(2).eventId());
    until("offsets committed", Duration.ofSeconds(10), () -> committedLag(probe.group, topic) == 0);
  }

  @Test
  void recordsInMemoryAreBoundedByPausingThePartition() throws Exception {
    String topic = uniqueTopic("consumer-bounded");
    String key = UUID.randomUUID().toString();
    KafkaSettings small = MessagingKit.settings(bootstrap, new JsonObject().put("consumerMaxQueued", 4).put("consumerMaxPollRecords", 4));
    AtomicInteger maxQueued = new AtomicInteger();
    Probe probe = new Probe("bounded-" + UUID.randomUUID(), small);
    await(vertx.deployVerticle(probe.verticle(topic, builder -> builder,
      consumer -> consumer.onOutcome((record, outcome) -> {
        probe.outcomes.add(outcome);
        maxQueued.accumulateAndGet(consumer.queued(), Math::max);
      }), event -> null)));
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      events.add(EventEnvelope.create("Step", key, new JsonObject().put("seq", i)));
    }
    // all before the consumer gets any, so that it would fetch far more than it may hold if it did not pause
    for (EventEnvelope event : events) {
      produce(producer, topic, key, event.toJson().encode());
    }
    until("all applied", Duration.ofSeconds(60), () -> probe.outcomes.size() == 60);
    assertThat(probe.count(Outcome.APPLIED)).isEqualTo(60);
    assertThat(maxQueued.get()).as("records held in memory").isBetween(1, 4 - 1 + 4);
    assertThat(effectOrder(probe.group)).containsExactlyElementsOf(events.stream().map(EventEnvelope::eventId).toList());
  }

  @Test
  void instancesJoiningAndLeavingTheGroupMidStreamApplyEveryEventOnce() throws Exception {
    String topic = uniqueTopic("consumer-rebalance");
    String group = "rebalance-" + UUID.randomUUID();
    Probe a = new Probe(group);
    Probe b = new Probe(group);
    String aId = await(vertx.deployVerticle(a.verticle(topic, builder -> builder)));
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      EventEnvelope event = EventEnvelope.create("Step", "order-" + (i % 9), new JsonObject().put("seq", i));
      events.add(event);
      produce(producer, topic, event.orderId(), event.toJson().encode());
      if (i == 30) {
        await(vertx.deployVerticle(b.verticle(topic, builder -> builder)));
      }
      if (i == 60) {
        await(vertx.undeploy(aId));
      }
    }
    until("every event applied", Duration.ofSeconds(60),
      () -> count(db, "SELECT count(DISTINCT event_id) FROM effects WHERE consumer = ?", group) == 90);
    until("offsets committed", Duration.ofSeconds(20), () -> committedLag(group, topic) == 0);
    assertThat(count(db, "SELECT count(*) FROM effects WHERE consumer = ?", group)).as("applications").isEqualTo(90);
    assertThat(b.count(Outcome.APPLIED)).isPositive();
    for (int k = 0; k < 9; k++) {
      assertThat(effectSeqs(group, "order-" + k, events)).as("order of order-" + k).isSorted();
    }
  }

  // ---- helpers

  /** A consumer under test: its group, what happened to each record, which events its handler applied. */
  final class Probe {
    final String group;
    final KafkaSettings kafka;
    final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    final List<UUID> handled = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger hanging = new AtomicInteger();
    ConsumerVerticle verticle;

    Probe(String group) {
      this(group, settings);
    }

    Probe(String group, KafkaSettings kafka) {
      this.group = group;
      this.kafka = kafka;
    }

    int count(Outcome outcome) {
      return (int) outcomes.stream().filter(o -> o == outcome).count();
    }

    ConsumerVerticle verticle(String topic, Function<IdempotentConsumer.Builder, IdempotentConsumer.Builder> extra) {
      return verticle(topic, extra, consumer -> { }, event -> null);
    }

    /** {@code override}: a future to return instead of applying the event (null: apply it). */
    ConsumerVerticle verticle(String topic, Function<IdempotentConsumer.Builder, IdempotentConsumer.Builder> extra,
                              java.util.function.Consumer<IdempotentConsumer> hooks,
                              Function<EventEnvelope, Future<Void>> override) {
      IdempotentConsumer.EventHandler apply = (tx, event) -> {
        Future<Void> instead = override.apply(event);
        if (instead != null) {
          hanging.incrementAndGet();
          return instead;
        }
        handled.add(event.eventId());
        return MessagingKit.recordEffect(tx, group, event);
      };
      verticle = new ConsumerVerticle(db, pool -> {
        IdempotentConsumer.Builder builder = IdempotentConsumer.builder(vertx, pool, kafka.withConsumerGroup(group))
          .topics(topic)
          .on("PaymentSucceeded", apply)
          .on("Step", apply);
        IdempotentConsumer consumer = extra.apply(builder).build();
        consumer.onOutcome((record, outcome) -> outcomes.add(outcome));
        hooks.accept(consumer);
        return consumer;
      });
      return verticle;
    }
  }

  private static long effects(String consumer, UUID eventId) {
    return count(db, "SELECT count(*) FROM effects WHERE consumer = ? AND event_id = ?", consumer, eventId);
  }

  private static List<UUID> effectOrder(String consumer) throws Exception {
    List<UUID> ids = new ArrayList<>();
    try (var c = MessagingKit.jdbc(db); var s = c.prepareStatement("SELECT event_id FROM effects WHERE consumer = ? ORDER BY seq")) {
      s.setString(1, consumer);
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return ids;
  }

  private static List<Integer> effectSeqs(String consumer, String order, List<EventEnvelope> events) throws Exception {
    Map<UUID, Integer> seqOf = new HashMap<>();
    events.forEach(e -> seqOf.put(e.eventId(), e.payload().getInteger("seq")));
    List<Integer> seqs = new ArrayList<>();
    try (var c = MessagingKit.jdbc(db);
         var s = c.prepareStatement("SELECT event_id FROM effects WHERE consumer = ? AND order_id = ? ORDER BY seq")) {
      s.setString(1, consumer);
      s.setString(2, order);
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          seqs.add(seqOf.get(rs.getObject(1, UUID.class)));
        }
      }
    }
    return seqs;
  }

  /** End offsets minus the group's committed offsets, summed over the topic's partitions (asked of the broker). */
  private static long committedLag(String group, String topic) {
    Map<String, Object> config = Map.of("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(config)) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      List<TopicPartition> partitions = new ArrayList<>();
      admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      Map<TopicPartition, OffsetSpec> latest = new ConcurrentHashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      long lag = 0;
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata c = committed.get(tp);
        lag += ends.get(tp).offset() - (c == null ? 0 : c.offset());
      }
      return lag;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
