package dev.bazaar.inventory;

import dev.bazaar.platform.events.InventoryEvent;
import dev.bazaar.platform.events.OrderEvent;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.testing.TestBed;
import dev.bazaar.platform.testing.TestKafka;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * inventory-service in the order saga, against a real PostgreSQL and a real Kafka broker: order
 * events are produced on {@code order-events} as order-service's relay would, and inventory's
 * answers are read from {@code inventory-events}.
 *
 * <p>A topic keeps one order's events in order (same key, same partition), so once the consumer
 * has recorded an order's LAST event as processed, every earlier one of that order was handled.
 */
class SagaIT {
  /** What order-service puts there: sealed for payment-service; inventory cannot open it and only forwards it. */
  static final String SEALED_TOKEN = "v1.c2VhbGVkLWZvci1wYXltZW50LXNlcnZpY2U";
  /** The deadline every OrderCreated of these tests announces (StockReserved forwards it). */
  static final Instant DEADLINE = Instant.now().plusSeconds(600);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path home;
  static InventoryTestBed bed;
  static String bootstrap;
  static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start() throws Exception {
    bootstrap = TestKafka.bootstrap();
    bed = InventoryTestBed.start(home, new JsonObject()
      .put("bootstrap", bootstrap)
      .put("clientId", "inventory-it")
      .put("consumerGroup", "inventory-service")
      .put("relayLockRetryMs", 200)
      .put("backoffBaseMs", 50)
      .put("backoffCapMs", 500)
      .put("requestTimeoutMs", 5000));
    producer = TestKafka.producer(bootstrap, new StringSerializer());
  }

  @AfterAll
  static void stop() throws Exception {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void anOrderInStockIsReservedAndAnsweredWithStockReserved() throws Exception {
    UUID apples = bed.stocked(10);
    UUID pears = bed.stocked(5);
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    // two lines of one product are one reservation of their sum
    produce(created(order, user, apples, 2, pears, 5, apples, 1));

    List<EventEnvelope> answers = answersTo(order, 1);
    assertThat(answers).hasSize(1);
    EventEnvelope reserved = answers.get(0);
    assertThat(reserved.type()).isEqualTo("StockReserved");
    assertThat(reserved.orderId()).isEqualTo(order.toString());
    JsonObject payload = reserved.payload();
    assertThat(payload.fieldNames()).containsExactlyInAnyOrder("userId", "totalCents", "currency", "sealedPaymentToken", "lines",
      "deadline");
    assertThat(Instant.parse(payload.getString("deadline"))).as("forwarded from OrderCreated").isEqualTo(DEADLINE);
    assertThat(payload.getString("userId")).isEqualTo(user.toString());
    assertThat(payload.getLong("totalCents")).isEqualTo(1234L);
    assertThat(payload.getString("currency")).isEqualTo("EUR");
    assertThat(payload.getString("sealedPaymentToken")).as("forwarded as it came, unread").isEqualTo(SEALED_TOKEN);
    assertThat(linesOf(payload)).isEqualTo(Map.of(apples.toString(), 3, pears.toString(), 5));
    assertThat(bed.available(apples)).isEqualTo(7);
    assertThat(bed.available(pears)).isZero();
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ? AND status = 'RESERVED'", order)).isEqualTo(2);
  }

  @Test
  void anOrderShortOfOneProductReservesNothingAndIsRejected() throws Exception {
    UUID plenty = bed.stocked(10);
    UUID scarce = bed.stocked(1);
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    produce(created(order, user, plenty, 4, scarce, 2));

    EventEnvelope rejected = answersTo(order, 1).get(0);
    assertThat(rejected.type()).isEqualTo("StockRejected");
    assertThat(rejected.payload()).isEqualTo(new JsonObject()
      .put("userId", user.toString()).put("shortProductId", scarce.toString()));
    assertThat(bed.available(plenty)).isEqualTo(10);
    assertThat(bed.available(scarce)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ?", order)).isZero();
  }

  @Test
  void aRedeliveredOrderCreatedReservesOnce() throws Exception {
    UUID product = bed.stocked(10);
    UUID order = UUID.randomUUID();
    EventEnvelope created = created(order, UUID.randomUUID(), product, 3);
    produce(created);
    produce(created); // the same event again (a relay that crashed before marking it published)
    // then the order's confirmation: once it is applied, both copies before it were handled
    produce(new ProducerRecord<>(OrderEvent.TOPIC, order.toString(), event("OrderConfirmed", order,
      new JsonObject().put("userId", UUID.randomUUID().toString()).put("totalCents", 1).put("currency", "EUR")).toJson().encode()));
    awaitCommitted(order);

    assertThat(bed.count("SELECT count(*) FROM processed_events WHERE event_id = ?", created.eventId())).isEqualTo(1);
    assertThat(bed.available(product)).isEqualTo(7);
    assertThat(answersTo(order, 1)).extracting(EventEnvelope::type).containsExactly("StockReserved");
  }

  @Test
  void anOrderAnnouncedAgainByAnotherEventIsAnsweredAgainAndReservedOnce() throws Exception {
    UUID product = bed.stocked(10);
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    produce(created(order, user, product, 3));
    // the same order under a new event id (a replay by its producer): the first decision is repeated, nothing more is taken
    EventEnvelope again = created(order, user, product, 5);
    produce(again);
    awaitProcessed(again);

    assertThat(bed.available(product)).isEqualTo(7);
    List<EventEnvelope> answers = answersTo(order, 2);
    assertThat(answers).extracting(EventEnvelope::type).containsExactly("StockReserved", "StockReserved");
    assertThat(answers.get(1).payload()).isEqualTo(answers.get(0).payload());
    assertThat(answers.get(1).eventId()).isNotEqualTo(answers.get(0).eventId());
  }

  @Test
  void aCancelledOrderGivesItsStockBackOnceWithStockReleased() throws Exception {
    UUID product = bed.stocked(10);
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    produce(created(order, user, product, 4));
    answersTo(order, 1);
    assertThat(bed.available(product)).isEqualTo(6);

    EventEnvelope cancelled = cancelled(order, user, "payment_failed");
    produce(cancelled);
    produce(cancelled); // redelivered
    EventEnvelope cancelledAgain = cancelled(order, user, "deadline_expired"); // a second cancellation
    produce(cancelledAgain);
    awaitProcessed(cancelledAgain);

    assertThat(bed.available(product)).isEqualTo(10);
    List<EventEnvelope> answers = answersTo(order, 2);
    assertThat(answers).extracting(EventEnvelope::type).containsExactly("StockReserved", "StockReleased");
    assertThat(answers.get(1).payload()).isEqualTo(new JsonObject().put("userId", user.toString()));
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ? AND status = 'RELEASED'", order)).isEqualTo(1);
  }

  @Test
  void aConfirmedOrderKeepsItsUnitsUntilItIsCancelled() throws Exception {
    UUID product = bed.stocked(10);
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    produce(created(order, user, product, 4));
    EventEnvelope confirmed = event("OrderConfirmed", order,
      new JsonObject().put("userId", user.toString()).put("totalCents", 1234).put("currency", "EUR"));
    produce(confirmed);
    awaitProcessed(confirmed);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ? AND status = 'COMMITTED'", order)).isEqualTo(1);
    assertThat(bed.available(product)).isEqualTo(6);

    // cancelled after confirmation (e.g. by the user): the sold units come back, once
    produce(cancelled(order, user, "cancelled_by_user"));
    assertThat(answersTo(order, 2)).extracting(EventEnvelope::type).containsExactly("StockReserved", "StockReleased");
    assertThat(bed.available(product)).isEqualTo(10);
  }

  @Test
  void aCancellationBeforeTheOrderArrivesMakesTheLateReserveTakeNothing() throws Exception {
    UUID product = bed.stocked(10);
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    produce(cancelled(order, user, "deadline_expired"));
    EventEnvelope created = created(order, user, product, 4);
    produce(created);
    awaitProcessed(created);

    assertThat(bed.available(product)).isEqualTo(10);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ?", order)).isZero();
    // nothing was released, and the late reserve answers nothing: the order is cancelled already
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ?", order.toString())).isZero();
  }

  @Test
  void concurrentOrdersNeverTakeMoreThanTheStock() throws Exception {
    UUID product = bed.stocked(6);
    List<UUID> orders = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      UUID order = UUID.randomUUID();
      orders.add(order);
      producer.send(record(created(order, UUID.randomUUID(), product, 1)));
    }
    producer.flush();

    List<EventEnvelope> answers = answersTo(orders, 30);
    Map<String, Long> byType = answers.stream().collect(Collectors.groupingBy(EventEnvelope::type, Collectors.counting()));
    assertThat(byType).isEqualTo(Map.of("StockReserved", 6L, "StockRejected", 24L));
    assertThat(answers.stream().map(EventEnvelope::orderId).distinct().count()).isEqualTo(30);
    assertThat(bed.available(product)).isZero();
    assertThat(bed.count("SELECT coalesce(sum(quantity), 0) FROM reservations WHERE product_id = ? AND status = 'RESERVED'", product))
      .isEqualTo(6);
  }

  @Test
  void aMalformedOrderCreatedChangesNothingAndIsDeadLettered() throws Exception {
    UUID product = bed.stocked(10);
    UUID order = UUID.randomUUID();
    EventEnvelope malformed = event("OrderCreated", order, new JsonObject()
      .put("userId", UUID.randomUUID().toString()).put("items", new JsonArray()
        .add(new JsonObject().put("productId", product.toString()).put("quantity", 0))));
    produce(malformed);
    List<ConsumerRecord<String, String>> letters = readUntil("order-events.dlq",
      read -> read.stream().anyMatch(r -> r.value().contains(malformed.eventId().toString())));
    assertThat(letters).isNotEmpty();
    assertThat(bed.available(product)).isEqualTo(10);
    assertThat(bed.count("SELECT count(*) FROM processed_events WHERE event_id = ?", malformed.eventId())).isZero();
  }

  // ---- events

  static EventEnvelope event(String type, UUID order, JsonObject payload) {
    return EventEnvelope.create(type, order.toString(), payload);
  }

  /** OrderCreated with lines (product, quantity, product, quantity, …). */
  static EventEnvelope created(UUID order, UUID user, Object... productAndQuantity) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < productAndQuantity.length; i += 2) {
      items.add(new JsonObject().put("productId", productAndQuantity[i].toString())
        .put("quantity", productAndQuantity[i + 1]).put("unitPriceCents", 100));
    }
    return event("OrderCreated", order, new JsonObject()
      .put("userId", user.toString()).put("items", items).put("totalCents", 1234).put("currency", "EUR")
      .put("sealedPaymentToken", SEALED_TOKEN).put("deadline", DEADLINE.toString()));
  }

  static EventEnvelope cancelled(UUID order, UUID user, String reason) {
    return event("OrderCancelled", order, new JsonObject()
      .put("userId", user.toString()).put("reason", reason).put("previousStatus", "PENDING"));
  }

  static ProducerRecord<String, String> record(EventEnvelope event) {
    return new ProducerRecord<>(OrderEvent.TOPIC, event.orderId(), event.toJson().encode());
  }

  static void produce(EventEnvelope event) throws Exception {
    produce(record(event));
  }

  static void produce(ProducerRecord<String, String> record) throws Exception {
    producer.send(record).get(30, TimeUnit.SECONDS);
  }

  static Map<String, Integer> linesOf(JsonObject payload) {
    return payload.getJsonArray("lines").stream().map(JsonObject.class::cast)
      .collect(Collectors.toMap(l -> l.getString("productId"), l -> l.getInteger("quantity")));
  }

  // ---- waiting

  static void until(String what, Callable<Boolean> condition) {
    TestBed.until(what, WAIT, condition);
  }

  /** Waits until inventory's consumer has applied {@code event} (and, by partition order, the order's earlier ones). */
  static void awaitProcessed(EventEnvelope event) throws Exception {
    until("event " + event.type() + " " + event.eventId() + " processed",
      () -> bed.count("SELECT count(*) FROM processed_events WHERE event_id = ?", event.eventId()) == 1);
  }

  /** Waits until the order's reservation is committed (its OrderConfirmed, and so every earlier event of it, applied). */
  static void awaitCommitted(UUID order) throws Exception {
    until("order " + order + " committed",
      () -> bed.count("SELECT count(*) FROM reservations WHERE order_id = ? AND status = 'COMMITTED'", order) > 0);
  }

  static List<EventEnvelope> answersTo(UUID order, int expected) throws Exception {
    return answersTo(List.of(order), expected);
  }

  /**
   * Waits until the outbox holds {@code expected} answers to {@code orders}, all published, then
   * reads them from {@code inventory-events}, in the topic's order per order.
   */
  static List<EventEnvelope> answersTo(Collection<UUID> orders, int expected) throws Exception {
    String keys = orders.stream().map(o -> "'" + o + "'").collect(Collectors.joining(","));
    until(expected + " answers published for " + orders.size() + " order(s)", () ->
      bed.count("SELECT count(*) FROM outbox WHERE record_key IN (" + keys + ") AND published_at IS NOT NULL") >= expected);
    Set<String> wanted = orders.stream().map(UUID::toString).collect(Collectors.toSet());
    List<ConsumerRecord<String, String>> records = readUntil(InventoryEvent.TOPIC,
      read -> read.stream().filter(r -> wanted.contains(r.key())).count() >= expected);
    // everything published is in the topic now; what the outbox holds is what the topic holds (no more, no less)
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key IN (" + keys + ")")).isEqualTo(expected);
    return records.stream().filter(r -> wanted.contains(r.key()))
      .map(r -> {
        EventEnvelope event = EventEnvelope.parse(r.value());
        assertThat(event.orderId()).isEqualTo(r.key());
        return event;
      })
      .toList();
  }

  interface Done {
    boolean test(List<ConsumerRecord<String, String>> read);
  }

  /** Reads {@code topic} from the beginning, every partition, until {@code done} holds or the wait ends. */
  static List<ConsumerRecord<String, String>> readUntil(String topic, Done done) {
    return TestKafka.readUntil(bootstrap, topic, new StringDeserializer(), WAIT, done::test);
  }
}
