package dev.bazaar.payment;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.testing.TestBed;
import dev.bazaar.platform.testing.TestKafka;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.platform.testing.TestSeal;
import dev.bazaar.provider.PaymentProviderVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

import static dev.bazaar.platform.testing.TestBed.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payment side of the saga against real PostgreSQL, a real Kafka broker and the real provider
 * simulator: events in on inventory-events/order-events, charges and refunds at the provider,
 * events out on payment-events through the outbox.
 */
class PaymentSagaIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  static Vertx vertx;
  static WebClient client;
  static DatabaseSettings db;
  static String bootstrap;
  static int providerPort;
  static KafkaProducer<String, String> producer;
  static final List<EventEnvelope> published = new CopyOnWriteArrayList<>();
  static volatile boolean reading = true;
  static Thread reader;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.database("payment_service");
    bootstrap = TestKafka.bootstrap();
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    PaymentProviderVerticle provider = new PaymentProviderVerticle();
    await(vertx.deployVerticle(provider, new DeploymentOptions().setConfig(new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0)))));
    providerPort = provider.actualPort();
    await(vertx.deployVerticle(new PaymentServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("http", new JsonObject().put("port", 0))
      .put("db", new JsonObject().put("host", db.host()).put("port", db.port()).put("database", db.database())
        .put("user", db.user()).put("password", db.password()))
      .put("auth", new JsonObject().put("issuer", "bazaar-user-service").put("audience", "bazaar-api").put("jwksService", "user-service"))
      .put("kafka", new JsonObject().put("bootstrap", bootstrap).put("clientId", "payment-saga-it")
        .put("consumerGroup", "payment-service-saga-it").put("relayLockRetryMs", 200).put("relayPollIntervalMs", 200)
        .put("backoffBaseMs", 50).put("backoffCapMs", 500).put("requestTimeoutMs", 5000))
      .put("provider", new JsonObject().put("url", "http://127.0.0.1:" + providerPort).put("timeoutMs", 500)
        .put("breakerMaxFailures", 3).put("breakerResetMs", 500).put("backoffBaseMs", 50).put("backoffCapMs", 400))
      .put("charging", new JsonObject().put("defaultDeadlineMs", 30_000).put("leaseMs", 5_000).put("sweepIntervalMs", 300))
      .put("paymentTokenSeal", TestSeal.config()))));
    producer = TestKafka.producer(bootstrap, new StringSerializer());
    reader = new Thread(PaymentSagaIT::readPaymentEvents, "payment-events-reader");
    reader.start();
  }

  @AfterAll
  static void stop() throws Exception {
    reading = false;
    if (reader != null) {
      reader.join(10_000);
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @AfterEach
  void noFaults() throws Exception {
    await(client.delete(providerPort, "127.0.0.1", "/admin/faults").send());
  }

  @Test
  void aReservedOrderIsChargedOnceEvenWhenTheEventComesTwice() throws Exception {
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    EventEnvelope reserved = stockReserved(order, user, 4999, "tok_ok", Instant.now().plusSeconds(60));

    EventEnvelope succeeded = awaitEvent(order, "PaymentSucceeded");
    Map<String, Object> row = payment(order);
    assertThat(row.get("status")).isEqualTo("SUCCEEDED");
    assertThat(succeeded.payload()).isEqualTo(new JsonObject().put("userId", user.toString())
      .put("paymentId", row.get("id").toString()).put("amountCents", 4999L).put("currency", "EUR"));
    JsonObject charge = chargeAtProvider(order);
    assertThat(charge.getString("status")).isEqualTo("succeeded");
    assertThat(charge.getLong("amountCents")).isEqualTo(4999L);
    assertThat(charge.getString("id")).isEqualTo(row.get("provider_ref"));
    assertThat(row.get("token")).as("the token is forgotten once settled").isNull();

    // the same event again, and again under a new id (a producer that published it twice)
    publish("inventory-events", reserved);
    EventEnvelope again = new EventEnvelope(UUID.randomUUID(), reserved.type(), reserved.orderId(), Instant.now(), reserved.payload());
    publish("inventory-events", again);
    until("the second StockReserved is applied", () -> processed(again.eventId()));
    settled(order);
    assertThat(eventsOf(order)).extracting(EventEnvelope::type).containsExactly("PaymentSucceeded");
    assertThat(count("SELECT count(*) FROM payments WHERE order_id = ?", order)).isEqualTo(1);
    assertThat(payment(order).get("charge_attempts")).as("the provider was called once").isEqualTo(1);
    assertThat(chargeAtProvider(order).getString("id")).isEqualTo(charge.getString("id"));
  }

  @Test
  void aTokenSealedForAnotherOrderOrNotSealedChargesNothing() throws Exception {
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    EventEnvelope copied = stockReserved(order, user, 900, "sealedPaymentToken", TestSeal.sealer().seal("tok_ok", UUID.randomUUID().toString()), null);
    EventEnvelope clear = stockReserved(order, user, 900, "paymentToken", "tok_ok", null);
    // one order's events are on one partition, in order: once this one is applied the two above were handled
    EventEnvelope sealed = stockReserved(order, user, 900, "tok_ok");
    until("the properly sealed StockReserved is applied", () -> processed(sealed.eventId()));
    assertThat(processed(copied.eventId())).as("dead-lettered, not applied").isFalse();
    assertThat(processed(clear.eventId())).as("dead-lettered, not applied").isFalse();
    awaitEvent(order, "PaymentSucceeded");
    assertThat(count("SELECT count(*) FROM payments WHERE order_id = ?", order)).isEqualTo(1);
    assertThat(payment(order).get("charge_attempts")).isEqualTo(1);
  }

  @Test
  void aDeclinedCardFailsThePayment() throws Exception {
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    stockReserved(order, user, 1500, "tok_declined", Instant.now().plusSeconds(60));

    EventEnvelope failed = awaitEvent(order, "PaymentFailed");
    assertThat(failed.payload()).isEqualTo(new JsonObject().put("userId", user.toString()).put("reason", "declined"));
    assertThat(payment(order)).containsEntry("status", "FAILED").containsEntry("failure_reason", "declined");
    assertThat(chargeAtProvider(order).getString("status")).isEqualTo("declined");
    settled(order);
    assertThat(eventsOf(order)).extracting(EventEnvelope::type).containsExactly("PaymentFailed");
  }

  @Test
  void aProviderOutageUntilTheDeadlineFailsThePaymentAsProviderUnavailable() throws Exception {
    fault(new JsonObject().put("outage", true));
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    Instant deadline = Instant.now().plusMillis(2500);
    stockReserved(order, user, 2000, "tok_ok", deadline);

    EventEnvelope failed = awaitEvent(order, "PaymentFailed");
    assertThat(failed.payload()).isEqualTo(new JsonObject().put("userId", user.toString()).put("reason", "provider_unavailable"));
    assertThat(failed.occurredAt()).as("retried until the deadline").isAfterOrEqualTo(deadline.minusMillis(1));
    Map<String, Object> row = payment(order);
    assertThat(row).containsEntry("status", "FAILED").containsEntry("failure_reason", "provider_unavailable");
    assertThat((Integer) row.get("charge_attempts")).as("retried").isGreaterThanOrEqualTo(3);
    noFaults();
    assertThat(chargeLookup(order).statusCode()).as("nothing was charged").isEqualTo(404);
  }

  @Test
  void anOrderThatReachesPaymentAfterItsDeadlineIsStillCharged() throws Exception {
    // our own restarts delayed it (Kafka, inventory, payment-service): the deadline bounds provider retries, not that
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    stockReserved(order, user, 1500, "tok_ok", Instant.now().minusSeconds(5));

    EventEnvelope succeeded = awaitEvent(order, "PaymentSucceeded");
    assertThat(succeeded.payload().getString("userId")).isEqualTo(user.toString());
    // not necessarily the first attempt: the provider's breaker may still be open from an earlier outage
    assertThat(payment(order)).containsEntry("status", "SUCCEEDED");
    assertThat(chargeAtProvider(order).getString("status")).isEqualTo("succeeded");
  }

  @Test
  void anOutageLiftedBeforeTheDeadlineEndsInACharge() throws Exception {
    fault(new JsonObject().put("outage", true));
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    Instant deadline = Instant.now().plusSeconds(30);
    stockReserved(order, user, 2500, "tok_ok", deadline);
    until("several attempts failed", () -> payment(order) != null && (Integer) payment(order).get("charge_attempts") >= 4);
    assertThat(payment(order).get("status")).isEqualTo("PENDING");
    noFaults();

    EventEnvelope succeeded = awaitEvent(order, "PaymentSucceeded");
    assertThat(succeeded.occurredAt()).isBefore(deadline);
    assertThat(payment(order).get("status")).isEqualTo("SUCCEEDED");
    assertThat(chargeAtProvider(order).getString("status")).isEqualTo("succeeded");
    settled(order);
    assertThat(eventsOf(order)).extracting(EventEnvelope::type).containsExactly("PaymentSucceeded");
  }

  @Test
  void aCancelledChargedOrderIsRefundedOnce() throws Exception {
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    stockReserved(order, user, 3000, "tok_ok", Instant.now().plusSeconds(60));
    EventEnvelope succeeded = awaitEvent(order, "PaymentSucceeded");

    orderCancelled(order, user, "cancelled_by_user", "CONFIRMED");
    EventEnvelope refunded = awaitEvent(order, "PaymentRefunded");
    assertThat(refunded.payload()).isEqualTo(succeeded.payload());
    Map<String, Object> row = payment(order);
    assertThat(row.get("status")).isEqualTo("REFUNDED");
    JsonObject charge = chargeAtProvider(order);
    assertThat(charge.getString("refundId")).isNotNull().isEqualTo(row.get("refund_ref"));

    EventEnvelope again = orderCancelled(order, user, "payment_failed", "CANCELLED");
    until("the second OrderCancelled is applied", () -> processed(again.eventId()));
    settled(order);
    assertThat(eventsOf(order)).extracting(EventEnvelope::type).containsExactly("PaymentSucceeded", "PaymentRefunded");
  }

  @Test
  void anOrderCancelledBeforeItsStockWasReservedIsNeverCharged() throws Exception {
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    EventEnvelope cancelled = orderCancelled(order, user, "deadline_expired", "PENDING");
    until("OrderCancelled is applied", () -> processed(cancelled.eventId()));
    EventEnvelope reserved = stockReserved(order, user, 1000, "tok_ok");
    until("StockReserved is applied", () -> processed(reserved.eventId()));

    assertThat(payment(order)).isNull();
    assertThat(chargeLookup(order).statusCode()).isEqualTo(404);
    settled(order);
    assertThat(eventsOf(order)).isEmpty();
  }

  @Test
  void anOrderCancelledWhileItsChargeIsInFlightIsChargedThenRefunded() throws Exception {
    fault(new JsonObject().put("outage", true));
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    stockReserved(order, user, 700, "tok_ok", Instant.now().plusSeconds(30));
    until("a charge was attempted", () -> payment(order) != null && (Integer) payment(order).get("charge_attempts") >= 1);
    EventEnvelope cancelled = orderCancelled(order, user, "cancelled_by_user", "PENDING");
    until("OrderCancelled is applied", () -> processed(cancelled.eventId()));
    assertThat(payment(order)).containsEntry("status", "PENDING").containsEntry("cancel_requested", true);
    noFaults();

    awaitEvent(order, "PaymentRefunded");
    assertThat(payment(order).get("status")).isEqualTo("REFUNDED");
    assertThat(chargeAtProvider(order).getString("refundId")).isNotNull();
    settled(order);
    assertThat(eventsOf(order)).extracting(EventEnvelope::type).containsExactly("PaymentSucceeded", "PaymentRefunded");
  }

  @Test
  void aPendingPaymentLeftByACrashedInstanceIsTakenUpAgain() throws Exception {
    UUID order = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    UUID cancelledOrder = UUID.randomUUID();
    // as a dead instance left them: the intent committed, its lease expired; one was cancelled before any call
    insertPending(order, user, 1200, false);
    insertPending(cancelledOrder, user, 1300, true);

    EventEnvelope succeeded = awaitEvent(order, "PaymentSucceeded");
    assertThat(succeeded.payload().getLong("amountCents")).isEqualTo(1200L);
    assertThat(chargeAtProvider(order).getString("status")).isEqualTo("succeeded");

    EventEnvelope failed = awaitEvent(cancelledOrder, "PaymentFailed");
    assertThat(failed.payload().getString("reason")).isEqualTo("cancelled");
    assertThat(payment(cancelledOrder)).containsEntry("status", "FAILED").containsEntry("charge_attempts", 0);
    assertThat(chargeLookup(cancelledOrder).statusCode()).isEqualTo(404);
  }

  // ---- events in

  private static EventEnvelope stockReserved(UUID order, UUID user, long cents, String token) throws Exception {
    return stockReserved(order, user, cents, "sealedPaymentToken", TestSeal.sealer().seal(token, order.toString()), null);
  }

  /** With the order's deadline, as inventory forwards it from OrderCreated. */
  private static EventEnvelope stockReserved(UUID order, UUID user, long cents, String token, Instant deadline) throws Exception {
    return stockReserved(order, user, cents, "sealedPaymentToken", TestSeal.sealer().seal(token, order.toString()), deadline);
  }

  private static EventEnvelope stockReserved(UUID order, UUID user, long cents, String tokenField, String token,
                                             Instant deadline) throws Exception {
    JsonObject payload = new JsonObject()
      .put("userId", user.toString()).put("totalCents", cents).put("currency", "EUR").put(tokenField, token)
      .put("lines", new io.vertx.core.json.JsonArray().add(new JsonObject().put("productId", UUID.randomUUID().toString()).put("quantity", 1)));
    if (deadline != null) {
      payload.put("deadline", deadline.toString());
    }
    return publish("inventory-events", EventEnvelope.create("StockReserved", order.toString(), payload));
  }

  private static EventEnvelope orderCancelled(UUID order, UUID user, String reason, String previousStatus) throws Exception {
    return publish("order-events", EventEnvelope.create("OrderCancelled", order.toString(), new JsonObject()
      .put("userId", user.toString()).put("reason", reason).put("previousStatus", previousStatus)));
  }

  private static EventEnvelope publish(String topic, EventEnvelope event) throws Exception {
    producer.send(new ProducerRecord<>(topic, event.orderId(), event.toJson().encode())).get(30, TimeUnit.SECONDS);
    return event;
  }

  // ---- events out

  private static void readPaymentEvents() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor("payment-events", Duration.ofSeconds(10)).stream()
        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (reading) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          EventEnvelope event = EventEnvelope.parse(record.value());
          assertThat(record.key()).isEqualTo(event.orderId());
          published.add(event);
        }
      }
    }
  }

  private static List<EventEnvelope> eventsOf(UUID order) {
    return published.stream().filter(e -> e.orderId().equals(order.toString())).toList();
  }

  private static EventEnvelope awaitEvent(UUID order, String type) throws InterruptedException {
    until(type + " for order " + order, () -> eventsOf(order).stream().anyMatch(e -> e.type().equals(type)));
    return eventsOf(order).stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow();
  }

  /** Nothing more can come for the order: no work left on its payment, the outbox published. */
  private static void settled(UUID order) throws InterruptedException {
    until("order " + order + " settled and its events published", () ->
      count("SELECT count(*) FROM payments WHERE order_id = ? AND (lease_owner IS NOT NULL OR status = 'PENDING'"
        + " OR (status = 'SUCCEEDED' AND cancel_requested))", order) == 0
        && count("SELECT count(*) FROM outbox WHERE record_key = ? AND published_at IS NULL", order.toString()) == 0);
    long inOutbox = count("SELECT count(*) FROM outbox WHERE record_key = ?", order.toString());
    until("the published events of " + order + " are read", () -> eventsOf(order).size() >= inOutbox);
  }

  // ---- the provider

  private static HttpResponse<Buffer> chargeLookup(UUID order) throws Exception {
    return await(client.get(providerPort, "127.0.0.1", "/v1/charges").addQueryParam("idempotencyKey", order.toString()).send());
  }

  private static JsonObject chargeAtProvider(UUID order) throws Exception {
    HttpResponse<Buffer> response = chargeLookup(order);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static void fault(JsonObject faults) throws Exception {
    assertThat(await(client.post(providerPort, "127.0.0.1", "/admin/faults").sendJsonObject(faults)).statusCode()).isEqualTo(200);
  }

  // ---- the database (test thread)

  private static Map<String, Object> payment(UUID order) {
    try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement("SELECT * FROM payments WHERE order_id = ?")) {
      s.setObject(1, order);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        }
        return row;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean processed(UUID eventId) {
    return count("SELECT count(*) FROM processed_events WHERE event_id = ?", eventId) == 1;
  }

  private static void insertPending(UUID order, UUID user, long cents, boolean cancelRequested) throws SQLException {
    try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement("INSERT INTO payments (id, order_id, user_id, amount_cents,"
      + " currency, status, token, deadline, cancel_requested, lease_owner, lease_until)"
      + " VALUES (?, ?, ?, ?, 'EUR', 'PENDING', 'tok_ok', now() + interval '30 seconds', ?, 'charger-dead', now() - interval '1 second')")) {
      s.setObject(1, UUID.randomUUID());
      s.setObject(2, order);
      s.setObject(3, user);
      s.setLong(4, cents);
      s.setBoolean(5, cancelRequested);
      s.executeUpdate();
    }
  }

  private static long count(String sql, Object... params) {
    return TestPostgres.count(db, sql, params);
  }

  private static Connection jdbc() throws SQLException {
    return TestPostgres.jdbc(db);
  }

  // ---- waiting

  private static void until(String what, Callable<Boolean> condition) {
    TestBed.until(what, WAIT, condition);
  }
}
