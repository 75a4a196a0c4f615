package dev.bazaar.platform.messaging;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.health.Health;
import dev.bazaar.platform.http.HttpServers;
import dev.bazaar.platform.messaging.IdempotentConsumer.Outcome;
import dev.bazaar.platform.messaging.MessagingKit.ConsumerVerticle;
import dev.bazaar.platform.messaging.MessagingKit.RelayVerticle;
import dev.bazaar.platform.testing.KafkaBroker;
import dev.bazaar.platform.testing.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.messaging.MessagingKit.count;
import static dev.bazaar.platform.messaging.MessagingKit.envelope;
import static dev.bazaar.platform.messaging.MessagingKit.execute;
import static dev.bazaar.platform.messaging.MessagingKit.jdbc;
import static dev.bazaar.platform.messaging.MessagingKit.produce;
import static dev.bazaar.platform.messaging.MessagingKit.readAll;
import static dev.bazaar.platform.messaging.MessagingKit.uniqueTopic;
import static dev.bazaar.platform.testing.TestBed.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §2: a crash of our own PostgreSQL or Kafka broker costs latency, never events. A real
 * PostgreSQL and a real broker of this test's own are killed with SIGKILL while two relays, an
 * idempotent consumer and an HTTP service run on them, then restarted on the same port and data,
 * as an operator would; nothing in the service is restarted. Every event appended or produced
 * before, during and after the outage is published and applied exactly once, none is
 * dead-lettered, readiness goes DOWN and comes back UP, and HTTP requests that need the database
 * get 503 with {@code Retry-After} while it is away.
 */
class InfraRestartIT {
  private static final Duration OUTAGE_DEADLINE = Duration.ofSeconds(90);

  static PostgresServer postgres;
  static KafkaBroker broker;
  static DatabaseSettings db;
  static KafkaSettings settings;
  static Vertx vertx;
  static KafkaProducer<String, byte[]> producer;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  ServiceVerticle service;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
    broker = KafkaBroker.start();
    db = postgres.database("messaging_test");
    settings = MessagingKit.settings(broker.bootstrap(), new JsonObject());
    vertx = Vertx.vertx();
    await(Database.migrate(vertx, db));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
    if (broker != null) {
      broker.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void emptyTables() {
    execute(db, "DELETE FROM outbox");
    execute(db, "DELETE FROM effects");
    producer = MessagingKit.rawProducer(broker.bootstrap());
  }

  @AfterEach
  void undeployAll() throws Exception {
    producer.close(Duration.ofSeconds(5));
    for (String id : Set.copyOf(vertx.deploymentIDs())) {
      await(vertx.undeploy(id));
    }
  }

  @Test
  void aPostgresCrashCostsNoEventAndRequestsGet503UntilItIsBack() throws Exception {
    Bed bed = deploy("pg-crash");
    List<EventEnvelope> before = append(bed.topic, 20);
    until("the events appended before the crash are applied", OUTAGE_DEADLINE, () -> bed.appliedCount() == 20);

    postgres.kill();
    long killedAt = System.nanoTime();
    // events other services publish meanwhile reach the consumer while its database is away
    List<EventEnvelope> during = produceDirectly(bed.topic, 20);

    HttpResponse<String> unavailable = untilAnswer("/effects", r -> r.statusCode() == 503);
    assertThat(unavailable.headers().firstValue("Retry-After")).isPresent();
    assertThat(unavailable.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(unavailable.body());
    assertThat(problem.getInteger("status")).isEqualTo(503);
    assertThat(problem.getString("detail")).doesNotContainIgnoringCase("refused").doesNotContain("Exception");
    JsonObject down = new JsonObject(untilAnswer("/health/ready", r -> r.statusCode() == 503).body());
    assertThat(down.getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("DOWN");
    System.out.printf("PostgreSQL killed: 503 after %d ms%n", millisSince(killedAt));
    // the consumer keeps trying the same event: it neither skips nor dead-letters it
    until("the consumer retries while the database is away", OUTAGE_DEADLINE, () -> bed.retries.size() >= 2);
    assertThat(bed.outcomes).doesNotContain(Outcome.DEAD_LETTERED);

    postgres.restart();
    long restartedAt = System.nanoTime();
    HttpResponse<String> back = untilAnswer("/effects", r -> r.statusCode() == 200);
    System.out.printf("PostgreSQL restarted: requests answered again after %d ms%n", millisSince(restartedAt));
    assertThat(back.statusCode()).isEqualTo(200);
    untilAnswer("/health/ready", r -> r.statusCode() == 200);
    until("exactly one relay holds the outbox lock again", OUTAGE_DEADLINE, () -> bed.activeRelays() == 1 && lockHolders() == 1);

    List<EventEnvelope> after = append(bed.topic, 20);
    List<EventEnvelope> all = concat(before, during, after);
    until("every event is applied", OUTAGE_DEADLINE, () -> bed.appliedCount() >= all.size());
    System.out.printf("PostgreSQL restarted: all %d events applied %d ms after the restart%n", all.size(), millisSince(restartedAt));
    bed.assertAppliedExactlyOnce(all);
    bed.assertPublishedAtLeastOnce(concat(before, after));
    assertThat(count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).isZero();
    // still exactly one: a relay whose connection died no longer believes it leads
    assertThat(bed.activeRelays()).isEqualTo(1);
    assertThat(lockHolders()).isEqualTo(1);
    // the pool serves promptly: no request waits on a connection that died with the old server
    for (int i = 0; i < 20; i++) {
      long sent = System.nanoTime();
      assertThat(get("/effects").statusCode()).isEqualTo(200);
      assertThat(millisSince(sent)).as("ms for a query after the restart").isLessThan(2000);
    }
  }

  @Test
  void aBrokerCrashCostsNoEventAndReadinessReportsKafka() throws Exception {
    Bed bed = deploy("kafka-crash");
    untilAnswer("/health/ready", r -> r.statusCode() == 200);
    List<EventEnvelope> before = append(bed.topic, 20);
    until("the events appended before the crash are applied", OUTAGE_DEADLINE, () -> bed.appliedCount() == 20);
    until("offsets committed", OUTAGE_DEADLINE, () -> lag(bed) == 0);
    until("the outbox marked published", OUTAGE_DEADLINE,
      () -> count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);

    broker.kill();
    long killedAt = System.nanoTime();
    // orders keep being taken while the broker is away: their events wait in the outbox
    List<EventEnvelope> during = append(bed.topic, 20);
    JsonObject down = new JsonObject(untilAnswer("/health/ready", r -> r.statusCode() == 503).body());
    assertThat(down.getJsonObject("checks").getJsonObject("kafka").getString("status")).isEqualTo("DOWN");
    assertThat(down.getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("UP");
    System.out.printf("Kafka killed: readiness DOWN after %d ms%n", millisSince(killedAt));
    assertThat(get("/effects").statusCode()).as("what needs only the database still works").isEqualTo(200);
    assertThat(count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).isEqualTo(20);

    broker.restart();
    long restartedAt = System.nanoTime();
    untilAnswer("/health/ready", r -> r.statusCode() == 200);
    System.out.printf("Kafka restarted: readiness UP after %d ms%n", millisSince(restartedAt));
    List<EventEnvelope> after = append(bed.topic, 20);
    List<EventEnvelope> all = concat(before, during, after);
    until("every event is applied", OUTAGE_DEADLINE, () -> bed.appliedCount() >= all.size());
    System.out.printf("Kafka restarted: all %d events applied %d ms after the restart%n", all.size(), millisSince(restartedAt));
    bed.assertAppliedExactlyOnce(all);
    bed.assertPublishedAtLeastOnce(all);
    until("every outbox row marked published", OUTAGE_DEADLINE,
      () -> count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    // the consumer resumed from its committed offsets and commits again
    until("offsets committed to the end", OUTAGE_DEADLINE, () -> lag(bed) == 0);
    assertThat(bed.activeRelays()).isEqualTo(1);
  }

  // ---- the test bed: two relays, a consumer, an HTTP service, all on one database

  private Bed deploy(String name) throws Exception {
    Bed bed = new Bed(uniqueTopic(name), name + "-" + UUID.randomUUID().toString().substring(0, 8));
    await(Topics.ensure(vertx, settings, bed.topic, settings.deadLetterTopic(bed.topic)));
    for (RelayVerticle relay : bed.relays) {
      await(vertx.deployVerticle(relay));
    }
    await(vertx.deployVerticle(bed.consumer));
    await(vertx.deployVerticle(bed.service));
    service = bed.service;
    until("one relay is active", OUTAGE_DEADLINE, () -> bed.activeRelays() == 1);
    return bed;
  }

  final class Bed {
    final String topic;
    final String group;
    final List<RelayVerticle> relays = List.of(new RelayVerticle(db, settings), new RelayVerticle(db, settings));
    final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    final Queue<Throwable> retries = new ConcurrentLinkedQueue<>();
    final ConsumerVerticle consumer;
    final ServiceVerticle service = new ServiceVerticle();

    Bed(String topic, String group) {
      this.topic = topic;
      this.group = group;
      this.consumer = new ConsumerVerticle(db, pool -> {
        IdempotentConsumer c = IdempotentConsumer.builder(vertx, pool, settings.withConsumerGroup(group))
          .topics(topic)
          .on("Step", (tx, event) -> MessagingKit.recordEffect(tx, group, event))
          .build();
        c.onOutcome((record, outcome) -> outcomes.add(outcome));
        c.onRetry(retries::add);
        return c;
      });
    }

    long appliedCount() {
      return count(db, "SELECT count(*) FROM effects WHERE consumer = ?", group);
    }

    long activeRelays() {
      return relays.stream().filter(RelayVerticle::active).count();
    }

    void assertAppliedExactlyOnce(List<EventEnvelope> events) {
      Map<UUID, Long> applied = new HashMap<>();
      try (Connection c = jdbc(db);
           PreparedStatement s = c.prepareStatement("SELECT event_id, count(*) FROM effects WHERE consumer = ? GROUP BY event_id")) {
        s.setString(1, group);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            applied.put(rs.getObject(1, UUID.class), rs.getLong(2));
          }
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      Map<UUID, Long> expected = events.stream().collect(Collectors.toMap(EventEnvelope::eventId, e -> 1L));
      assertThat(applied).as("applications per event").isEqualTo(expected);
      assertThat(outcomes).doesNotContain(Outcome.DEAD_LETTERED);
      assertThat(readAll(broker.bootstrap(), settings.deadLetterTopic(topic))).as("dead letters").isEmpty();
    }

    /** At least once: a relay that crashed between Kafka's ack and its mark sends again (consumers dedupe). */
    void assertPublishedAtLeastOnce(List<EventEnvelope> events) {
      Set<UUID> published = readAll(broker.bootstrap(), topic).stream()
        .map(record -> envelope(record).eventId()).collect(Collectors.toSet());
      assertThat(published).containsAll(events.stream().map(EventEnvelope::eventId).toList());
    }
  }

  /** What a service's HTTP side does: readiness (database, Kafka) and a route that needs the database. */
  static final class ServiceVerticle extends VerticleBase {
    volatile int port;
    private Pool pool;
    private KafkaProbe kafka;

    @Override
    public Future<?> start() {
      pool = Database.pool(vertx, db);
      kafka = KafkaProbe.start(vertx, settings);
      HttpSettings httpSettings = new HttpSettings("127.0.0.1", 0, "127.0.0.1", 1024 * 1024, 60);
      Router router = HttpServers.router(vertx, httpSettings);
      new Health().database(pool).check("kafka", kafka::check).mount(router);
      router.get("/effects").handler(ctx -> pool.query("SELECT count(*) FROM effects").execute()
        .onSuccess(rows -> ctx.json(new JsonObject().put("effects", rows.iterator().next().getLong(0))))
        .onFailure(ctx::fail));
      return HttpServers.listen(vertx, router, httpSettings).onSuccess(server -> port = server.actualPort());
    }

    @Override
    public Future<?> stop() {
      return kafka.close().eventually(() -> pool.close());
    }
  }

  // ---- helpers

  private List<EventEnvelope> append(String topic, int n) throws Exception {
    List<EventEnvelope> events = new ArrayList<>();
    try (Connection c = jdbc(db); PreparedStatement s = c.prepareStatement(
      "INSERT INTO outbox (topic, record_key, event_id, type, occurred_at, payload) VALUES (?, ?, ?, ?, now(), ?::jsonb)")) {
      for (int i = 0; i < n; i++) {
        EventEnvelope event = EventEnvelope.create("Step", UUID.randomUUID().toString(), new JsonObject().put("seq", i));
        s.setString(1, topic);
        s.setString(2, event.orderId());
        s.setObject(3, event.eventId());
        s.setString(4, event.type());
        s.setString(5, event.payload().encode());
        s.executeUpdate();
        events.add(event);
      }
    }
    return events;
  }

  private List<EventEnvelope> produceDirectly(String topic, int n) throws Exception {
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      EventEnvelope event = EventEnvelope.create("Step", UUID.randomUUID().toString(), new JsonObject().put("seq", i));
      produce(producer, topic, event.orderId(), event.toJson().encode());
      events.add(event);
    }
    return events;
  }

  /** Sessions holding the relay's advisory lock, as PostgreSQL sees them. */
  private static long lockHolders() {
    // pg_locks splits the bigint key of pg_try_advisory_lock(bigint) into classid (high) and objid (low)
    return count(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
      + " AND classid::bigint = ? AND objid::bigint = ?", OutboxRelay.LOCK_KEY >>> 32, OutboxRelay.LOCK_KEY & 0xffffffffL);
  }

  private static long lag(Bed bed) {
    try {
      return await(bed.consumer.lag());
    } catch (Exception e) {
      return -1;
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port + path))
      .timeout(Duration.ofSeconds(10)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> untilAnswer(String path, java.util.function.Predicate<HttpResponse<String>> wanted)
    throws InterruptedException {
    List<HttpResponse<String>> last = new ArrayList<>(1);
    until("GET " + path + " answers as expected", OUTAGE_DEADLINE, () -> {
      try {
        HttpResponse<String> response = get(path);
        last.clear();
        last.add(response);
        return wanted.test(response);
      } catch (Exception e) {
        return false;
      }
    });
    return last.get(0);
  }

  @SafeVarargs
  private static <T> List<T> concat(List<T>... lists) {
    List<T> all = new ArrayList<>();
    for (List<T> list : lists) {
      all.addAll(list);
    }
    return all;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
