package dev.bazaar.platform.messaging;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.messaging.MessagingKit.ConsumerVerticle;
import dev.bazaar.platform.messaging.MessagingKit.RelayVerticle;
import dev.bazaar.platform.testing.TestKafka;
import dev.bazaar.platform.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.messaging.MessagingKit.count;
import static dev.bazaar.platform.messaging.MessagingKit.envelope;
import static dev.bazaar.platform.messaging.MessagingKit.execute;
import static dev.bazaar.platform.messaging.MessagingKit.header;
import static dev.bazaar.platform.messaging.MessagingKit.readAll;
import static dev.bazaar.platform.messaging.MessagingKit.readUntil;
import static dev.bazaar.platform.messaging.MessagingKit.uniqueTopic;
import static dev.bazaar.platform.testing.TestBed.until;
import static org.assertj.core.api.Assertions.assertThat;

/** The outbox and its relay against a real PostgreSQL and a real Kafka broker. */
class OutboxRelayIT {
  static Vertx vertx;
  static DatabaseSettings db;
  static String bootstrap;
  static Pool pool;
  /** Polling every minute: whatever is published sooner was woken by NOTIFY. */
  static KafkaSettings settings;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.database("messaging_test");
    bootstrap = TestKafka.bootstrap();
    settings = MessagingKit.settings(bootstrap, new JsonObject().put("relayPollIntervalMs", 60_000));
    vertx = Vertx.vertx();
    await(Database.migrate(vertx, db));
    pool = Database.pool(vertx, db);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @BeforeEach
  void emptyOutbox() {
    execute(db, "DELETE FROM outbox");
  }

  @AfterEach
  void undeployAll() throws Exception {
    for (String id : Set.copyOf(vertx.deploymentIDs())) {
      await(vertx.undeploy(id));
    }
  }

  @Test
  void publishesCommittedRowsInOrderPerKeyWithinMillisecondsAndMarksThem() throws Exception {
    String topic = topic("relay-order");
    RelayVerticle relay = activeRelay();

    // the first send of a topic fetches its metadata: not what is measured
    EventEnvelope warmUp = EventEnvelope.create("WarmUp", "warm-up", new JsonObject());
    await(append(topic, List.of(warmUp), null));
    readUntil(bootstrap, topic, Duration.ofSeconds(30), read -> ids(read).contains(warmUp.eventId()));

    String orderA = UUID.randomUUID().toString();
    String orderB = UUID.randomUUID().toString();
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(EventEnvelope.create("Step", i % 2 == 0 ? orderA : orderB, new JsonObject().put("seq", i)));
    }
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    long committing = System.currentTimeMillis();
    await(append(topic, events, traceparent));
    long committed = System.currentTimeMillis();

    List<ConsumerRecord<String, byte[]>> read = readUntil(bootstrap, topic, Duration.ofSeconds(30),
      r -> ids(r).containsAll(events.stream().map(EventEnvelope::eventId).toList()));
    List<ConsumerRecord<String, byte[]>> ours = read.stream().filter(r -> !r.key().equals("warm-up")).toList();
    assertThat(ours).hasSize(10);
    long lastSent = ours.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
    System.out.printf("outbox commit took %d ms; last record sent %d ms after the commit began%n",
      committed - committing, lastSent - committing);
    assertThat(lastSent - committing).as("ms from commit to publish (polling is every 60 s)").isLessThan(2000);

    assertThat(seqs(ours, orderA)).containsExactly(0, 2, 4, 6, 8);
    assertThat(seqs(ours, orderB)).containsExactly(1, 3, 5, 7, 9);
    for (ConsumerRecord<String, byte[]> record : ours) {
      EventEnvelope event = envelope(record);
      assertThat(events).contains(event);
      assertThat(record.key()).isEqualTo(event.orderId());
      assertThat(header(record, "traceparent")).isEqualTo(traceparent);
    }
    assertThat(header(read.stream().filter(r -> r.key().equals("warm-up")).findFirst().orElseThrow(), "traceparent")).isNull();

    until("every row is marked published", Duration.ofSeconds(10),
      () -> count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    assertThat(count(db, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL")).isEqualTo(11);
    assertThat(await(relay.relay.backlog())).isZero();
  }

  @Test
  void aRolledBackTransactionPublishesNothing() throws Exception {
    String topic = topic("relay-rollback");
    activeRelay();

    EventEnvelope ghost = EventEnvelope.create("Ghost", "o-ghost", new JsonObject());
    Future<Void> rolledBack = pool.withTransaction(tx -> Outbox.append(tx, topic, ghost, null)
      .compose(v -> Future.<Void>failedFuture("the business rule says no")));
    assertThat(rolledBack.toCompletionStage().toCompletableFuture().handle((v, err) -> err).get(30, TimeUnit.SECONDS))
      .hasMessageContaining("business rule");

    EventEnvelope marker = EventEnvelope.create("Marker", "o-marker", new JsonObject());
    await(append(topic, List.of(marker), null));
    List<ConsumerRecord<String, byte[]>> read = readUntil(bootstrap, topic, Duration.ofSeconds(30),
      r -> ids(r).contains(marker.eventId()));
    assertThat(ids(read)).doesNotContain(ghost.eventId());
    assertThat(count(db, "SELECT count(*) FROM outbox WHERE event_id = ?", ghost.eventId())).isZero();
    until("the marker is marked", Duration.ofSeconds(10), () -> count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    assertThat(readAll(bootstrap, topic)).hasSize(1);
  }

  @Test
  void aRowCommittedAfterALaterIdIsNotSkipped() throws Exception {
    String topic = topic("relay-late");
    RelayVerticle relay = activeRelay();

    EventEnvelope early = EventEnvelope.create("Early", "o-early", new JsonObject());
    EventEnvelope late = EventEnvelope.create("Late", "o-late", new JsonObject());
    SqlConnection a = await(pool.getConnection());
    SqlConnection b = await(pool.getConnection());
    try {
      Transaction txA = await(a.begin());
      await(Outbox.append(a, topic, early, null));
      Transaction txB = await(b.begin());
      await(Outbox.append(b, topic, late, null));
      long idA = await(idOf(a, early));
      long idB = await(idOf(b, late));
      assertThat(idA).isLessThan(idB);

      await(txB.commit());
      readUntil(bootstrap, topic, Duration.ofSeconds(30), r -> ids(r).contains(late.eventId()));
      until("B is marked", Duration.ofSeconds(10),
        () -> count(db, "SELECT count(*) FROM outbox WHERE event_id = ? AND published_at IS NOT NULL", late.eventId()) == 1);
      assertThat(ids(readAll(bootstrap, topic))).containsExactly(late.eventId());

      await(txA.commit());
      List<ConsumerRecord<String, byte[]>> read = readUntil(bootstrap, topic, Duration.ofSeconds(30),
        r -> ids(r).contains(early.eventId()));
      assertThat(ids(read)).containsExactlyInAnyOrder(early.eventId(), late.eventId());
      until("both are marked", Duration.ofSeconds(10), () -> count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void aRelayKilledBetweenPublishAndMarkIsReplacedAndTheEventIsAppliedOnce() throws Exception {
    String topic = topic("relay-crash");
    String group = "crash-" + UUID.randomUUID();
    AtomicInteger applied = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    ConsumerVerticle consumer = new ConsumerVerticle(db, p -> {
      IdempotentConsumer c = IdempotentConsumer.builder(vertx, p, settings.withConsumerGroup(group))
        .topics(topic)
        .on("Charged", (tx, event) -> MessagingKit.recordEffect(tx, group, event))
        .build();
      c.onOutcome((record, outcome) -> {
        if (outcome == IdempotentConsumer.Outcome.APPLIED) {
          applied.incrementAndGet();
        } else if (outcome == IdempotentConsumer.Outcome.DUPLICATE) {
          duplicates.incrementAndGet();
        }
      });
      return c;
    });
    await(vertx.deployVerticle(consumer));

    CompletableFuture<List<Long>> killedAfterPublishing = new CompletableFuture<>();
    AtomicBoolean once = new AtomicBoolean();
    RelayVerticle doomed = new RelayVerticle(db, settings, relay -> relay.beforeMark(ids -> {
      if (once.compareAndSet(false, true)) {
        return relay.crash().compose(v -> {
          killedAfterPublishing.complete(ids);
          return Future.failedFuture("killed between publish and mark");
        });
      }
      return Future.succeededFuture();
    }));
    String doomedId = await(vertx.deployVerticle(doomed));
    until("the doomed relay is active", Duration.ofSeconds(10), doomed::active);

    EventEnvelope charged = EventEnvelope.create("Charged", UUID.randomUUID().toString(), new JsonObject().put("cents", 1299));
    await(append(topic, List.of(charged), null));
    List<Long> published = killedAfterPublishing.get(30, TimeUnit.SECONDS);
    assertThat(published).hasSize(1);
    assertThat(doomed.active()).isFalse();
    assertThat(count(db, "SELECT count(*) FROM outbox WHERE event_id = ? AND published_at IS NULL", charged.eventId()))
      .as("published but not marked").isEqualTo(1);
    await(vertx.undeploy(doomedId));

    RelayVerticle survivor = new RelayVerticle(db, settings);
    await(vertx.deployVerticle(survivor));
    until("the survivor marks the row", Duration.ofSeconds(15),
      () -> count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    List<ConsumerRecord<String, byte[]>> read = readUntil(bootstrap, topic, Duration.ofSeconds(30), r -> r.size() >= 2);
    assertThat(ids(read)).as("sent twice").containsExactly(charged.eventId(), charged.eventId());

    until("the consumer saw both copies", Duration.ofSeconds(30), () -> applied.get() + duplicates.get() == 2);
    assertThat(applied.get()).isEqualTo(1);
    assertThat(duplicates.get()).isEqualTo(1);
    assertThat(count(db, "SELECT count(*) FROM effects WHERE event_id = ?", charged.eventId())).isEqualTo(1);
  }

  @Test
  void twoRelaysOnOneOutboxPublishEveryRowOnceWithOneActiveAtATime() throws Exception {
    String topic = topic("relay-pair");
    RelayVerticle first = new RelayVerticle(db, settings);
    RelayVerticle second = new RelayVerticle(db, settings);
    String firstId = await(vertx.deployVerticle(first));
    String secondId = await(vertx.deployVerticle(second));
    until("one relay is active", Duration.ofSeconds(10), () -> first.active() || second.active());

    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicInteger bothActive = new AtomicInteger();
    AtomicInteger samples = new AtomicInteger();
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        if (first.active() && second.active()) {
          bothActive.incrementAndGet();
        }
        samples.incrementAndGet();
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.start();
    try {
      assertThat(lockHolders()).isEqualTo(1);

      List<EventEnvelope> batch1 = appendConcurrently(topic, 4, 10);
      List<ConsumerRecord<String, byte[]>> read = readUntil(bootstrap, topic, Duration.ofSeconds(30),
        r -> ids(r).containsAll(batch1.stream().map(EventEnvelope::eventId).toList()));
      assertThat(read).hasSize(40);
      assertOrderedPerKey(read);
      until("all marked", Duration.ofSeconds(10), () -> count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);

      RelayVerticle standby = first.active() ? second : first;
      assertThat(standby.active()).isFalse();
      long failingOver = System.nanoTime();
      await(vertx.undeploy(first.active() ? firstId : secondId));
      until("the standby takes over", Duration.ofSeconds(10), standby::active);
      System.out.printf("standby took over %d ms after the active relay stopped%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingOver));
      assertThat(lockHolders()).isEqualTo(1);

      List<EventEnvelope> batch2 = appendConcurrently(topic, 2, 5);
      List<ConsumerRecord<String, byte[]>> all = readUntil(bootstrap, topic, Duration.ofSeconds(30),
        r -> ids(r).containsAll(batch2.stream().map(EventEnvelope::eventId).toList()));
      assertThat(all).hasSize(50);
      assertThat(Set.copyOf(ids(all))).hasSize(50);
      assertOrderedPerKey(all);
      until("all marked", Duration.ofSeconds(10), () -> count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    } finally {
      sampling.set(false);
      sampler.join();
    }
    assertThat(samples.get()).isPositive();
    assertThat(bothActive.get()).as("samples with both relays active").isZero();
  }

  @Test
  void whenTheActiveRelaysConnectionDiesTheLockPassesOnAndNothingIsLost() throws Exception {
    String topic = topic("relay-cut");
    RelayVerticle first = new RelayVerticle(db, settings);
    RelayVerticle second = new RelayVerticle(db, settings);
    await(vertx.deployVerticle(first));
    await(vertx.deployVerticle(second));
    until("one relay is active", Duration.ofSeconds(10), () -> first.active() || second.active());
    RelayVerticle cut = first.active() ? first : second;

    // the database side kills the lock holder's session (as a failover or a network cut would)
    long terminated = count(db, "SELECT count(*) FROM (SELECT pg_terminate_backend(l.pid) FROM pg_locks l"
        + " JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted"
        + " AND d.datname = current_database() AND l.classid::bigint = ? AND l.objid::bigint = ?) t",
      OutboxRelay.LOCK_KEY >>> 32, OutboxRelay.LOCK_KEY & 0xffffffffL);
    assertThat(terminated).isEqualTo(1);
    until("a relay holds the lock again", Duration.ofSeconds(10), () -> lockHolders() == 1 && (first.active() || second.active()));
    System.out.printf("after the cut, the active relay is the %s one%n", cut.active() ? "same" : "other");

    List<EventEnvelope> events = appendConcurrently(topic, 2, 5);
    List<ConsumerRecord<String, byte[]>> read = readUntil(bootstrap, topic, Duration.ofSeconds(30),
      r -> ids(r).containsAll(events.stream().map(EventEnvelope::eventId).toList()));
    assertThat(read).hasSize(10);
    assertOrderedPerKey(read);
    until("all marked", Duration.ofSeconds(10), () -> count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    assertThat(first.active() && second.active()).isFalse();
  }

  // ---- helpers

  private static Future<Void> append(String topic, List<EventEnvelope> events, String traceparent) {
    return pool.withTransaction(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (EventEnvelope event : events) {
        chain = chain.compose(v -> Outbox.append(tx, topic, event, traceparent));
      }
      return chain;
    });
  }

  /** {@code keys} transactions at once, each appending {@code perKey} events of one order (payload seq 0..). */
  private static List<EventEnvelope> appendConcurrently(String topic, int keys, int perKey) throws Exception {
    List<EventEnvelope> all = new ArrayList<>();
    List<Future<Void>> transactions = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      String order = UUID.randomUUID().toString();
      List<EventEnvelope> events = new ArrayList<>();
      for (int i = 0; i < perKey; i++) {
        events.add(EventEnvelope.create("Step", order, new JsonObject().put("seq", i)));
      }
      all.addAll(events);
      transactions.add(append(topic, events, null));
    }
    await(Future.all(transactions));
    return all;
  }

  /** A new topic named after {@code name}, created on the broker. */
  private static String topic(String name) throws Exception {
    String topic = uniqueTopic(name);
    await(Topics.ensure(vertx, settings, topic));
    return topic;
  }

  /** Deploys a relay and waits until it holds the relay lock. */
  private static RelayVerticle activeRelay() throws Exception {
    RelayVerticle relay = new RelayVerticle(db, settings);
    await(vertx.deployVerticle(relay));
    until("the relay is active", Duration.ofSeconds(10), relay::active);
    return relay;
  }

  private static Future<Long> idOf(SqlConnection tx, EventEnvelope event) {
    return tx.preparedQuery("SELECT id FROM outbox WHERE event_id = $1").execute(Tuple.of(event.eventId()))
      .map(rows -> rows.iterator().next().getLong(0));
  }

  private static long lockHolders() {
    return count(db, "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
        + " WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()"
        + " AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 1",
      OutboxRelay.LOCK_KEY >>> 32, OutboxRelay.LOCK_KEY & 0xffffffffL);
  }

  private static List<UUID> ids(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(r -> envelope(r).eventId()).collect(Collectors.toList());
  }

  private static List<Integer> seqs(List<ConsumerRecord<String, byte[]>> records, String key) {
    return records.stream().filter(r -> key.equals(r.key()))
      .sorted((x, y) -> x.partition() == y.partition() ? Long.compare(x.offset(), y.offset()) : Integer.compare(x.partition(), y.partition()))
      .map(r -> envelope(r).payload().getInteger("seq")).toList();
  }

  private static void assertOrderedPerKey(List<ConsumerRecord<String, byte[]>> records) {
    Set<String> keys = new HashSet<>();
    records.forEach(r -> keys.add(r.key()));
    for (String key : keys) {
      List<Integer> seqs = seqs(records, key);
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < seqs.size(); i++) {
        expected.add(i);
      }
      assertThat(seqs).as("order of key " + key).isEqualTo(expected);
    }
  }
}
