package dev.bazaar.order;

import dev.bazaar.order.client.ProductCatalog;
import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.testing.TestKafka;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.platform.testing.TestSeal;
import dev.bazaar.user.testing.UserServiceHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.freePort;
import static dev.bazaar.platform.testing.TestBed.until;
import static dev.bazaar.user.testing.UserServiceHarness.serviceConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real user-service and order-service in one unclustered Vert.x, on real PostgreSQL. product-service
 * is played by a consumer of its lookup contract ({@link ProductCatalog}) answering from a fixed catalog.
 * Kafka is a real broker ({@link TestKafka}): the test reads everything order-service publishes on
 * {@code order-events} ({@link #published}) and plays inventory and payment by producing their events.
 */
final class OrderTestBed implements AutoCloseable {
  static final UUID KEYBOARD = UUID.fromString("0b6c3f0e-5d1a-4c4e-9a57-1f6f2d8f0a01");
  static final UUID MOUSE = UUID.fromString("0b6c3f0e-5d1a-4c4e-9a57-1f6f2d8f0a02");
  static final UUID CABLE = UUID.fromString("0b6c3f0e-5d1a-4c4e-9a57-1f6f2d8f0a03");
  static final UUID LAMP_USD = UUID.fromString("0b6c3f0e-5d1a-4c4e-9a57-1f6f2d8f0a04");
  static final UUID UNKNOWN = UUID.fromString("0b6c3f0e-5d1a-4c4e-9a57-1f6f2d8f0aff");
  /** The catalog: id → {sku, name, priceCents, currency}; plus 60 cheap EUR fillers for long orders. */
  static final Map<UUID, JsonObject> CATALOG = new LinkedHashMap<>();

  static {
    CATALOG.put(KEYBOARD, product("KB-1", "Keyboard", 4999, "EUR"));
    CATALOG.put(MOUSE, product("MS-1", "Mouse", 1999, "EUR"));
    CATALOG.put(CABLE, product("CB-1", "Cable", 500, "EUR"));
    CATALOG.put(LAMP_USD, product("LM-1", "Lamp", 2500, "USD"));
    for (int i = 0; i < 60; i++) {
      CATALOG.put(filler(i), product("FILL-" + i, "Filler " + i, 100 + i, "EUR"));
    }
  }

  final Vertx vertx;
  final DatabaseSettings db;
  final int orderPort;
  final AtomicInteger lookups = new AtomicInteger();
  final String bootstrap;
  /** Every record on order-events since the topic began (all test classes share the broker). */
  final List<KafkaConsumerRecord<String, String>> published = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> catalog;
  private KafkaConsumer<String, String> orderEvents;
  private KafkaProducer<String, String> producer;
  private UserServiceHarness users;

  /** A test class run against one bed (the default deadline), started before its first test and closed after its last. */
  abstract static class PerClass {
    @TempDir
    static Path home;
    static OrderTestBed bed;

    @BeforeAll
    static void startBed() throws Exception {
      bed = start(home);
    }

    @AfterAll
    static void closeBed() throws Exception {
      if (bed != null) {
        bed.close();
        bed = null;
      }
    }
  }

  private OrderTestBed(Vertx vertx, DatabaseSettings db, int orderPort, String bootstrap) {
    this.vertx = vertx;
    this.db = db;
    this.orderPort = orderPort;
    this.bootstrap = bootstrap;
  }

  /** Orders are due 5 minutes after they are placed: the sweeper never interferes with a test. */
  static OrderTestBed start(Path home) throws Exception {
    return start(home, 300);
  }

  static OrderTestBed start(Path home, int deadlineSeconds) throws Exception {
    DatabaseSettings orders = TestPostgres.database("order_service");
    int orderPort = freePort();
    String bootstrap = TestKafka.bootstrap();
    Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    OrderTestBed bed = new OrderTestBed(vertx, orders, orderPort, bootstrap);
    try {
      bed.startCatalog();
      bed.users = UserServiceHarness.deploy(vertx, home);
      await(vertx.deployVerticle(new OrderServiceVerticle(), new DeploymentOptions().setConfig(serviceConfig(orderPort, orders)
        .put("client", new JsonObject().put("timeoutMs", 1000).put("maxAttempts", 3).put("backoffBaseMs", 100)
          .put("backoffCapMs", 1000).put("retryBudgetMs", 3000).put("breakerMaxFailures", 5).put("breakerResetMs", 3000))
        .put("payment", new JsonObject().put("tokenPattern", OrderServiceConfig.DEFAULT_TOKEN_PATTERN))
        .put("paymentTokenSeal", TestSeal.config())
        .put("kafka", new JsonObject().put("bootstrap", bootstrap).put("clientId", "order-service-it")
          .put("consumerGroup", "order-service").put("requestTimeoutMs", 5000).put("relayLockRetryMs", 200)
          .put("backoffBaseMs", 50).put("backoffCapMs", 500))
        .put("saga", new JsonObject().put("deadlineSeconds", deadlineSeconds).put("graceSeconds", 0).put("sweepIntervalMs", 200)))));
      bed.startKafkaClients();
      return bed;
    } catch (Exception | AssertionError e) {
      bed.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (orderEvents != null) {
        await(orderEvents.close());
      }
      if (producer != null) {
        await(producer.close());
      }
    } finally {
      await(vertx.close());
    }
  }

  // ---- Kafka: what order-service publishes, and what inventory and payment would publish

  /** Reads order-events from the beginning (the service created it at start), into {@link #published}. */
  private void startKafkaClients() throws Exception {
    Map<String, String> consumerConfig = Map.of(
      "bootstrap.servers", bootstrap,
      "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
      "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
      "enable.auto.commit", "false",
      "auto.offset.reset", "earliest");
    orderEvents = KafkaConsumer.create(vertx, consumerConfig);
    orderEvents.handler(published::add);
    Set<TopicPartition> partitions = await(orderEvents.partitionsFor("order-events")).stream()
      .map(info -> new TopicPartition(info.getTopic(), info.getPartition()))
      .collect(Collectors.toSet());
    assertThat(partitions).isNotEmpty();
    await(orderEvents.assign(partitions));
    await(orderEvents.seekToBeginning(partitions));
    producer = KafkaProducer.create(vertx, Map.of(
      "bootstrap.servers", bootstrap,
      "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
      "value.serializer", "org.apache.kafka.common.serialization.StringSerializer",
      "acks", "all"));
  }

  /** Produces {@code event} on {@code topic}, keyed by its order id, as inventory- or payment-service would. */
  void produce(String topic, EventEnvelope event) throws Exception {
    await(producer.send(KafkaProducerRecord.create(topic, event.orderId(), event.toJson().encode())));
  }

  /** The events published on order-events about {@code orderId}, in order. */
  List<EventEnvelope> eventsOf(String orderId) {
    return recordsOf(orderId).stream().map(r -> EventEnvelope.parse(r.value())).toList();
  }

  List<KafkaConsumerRecord<String, String>> recordsOf(String orderId) {
    return published.stream().filter(r -> orderId.equals(r.key())).toList();
  }

  /** Waits until {@code count} events of {@code type} about {@code orderId} were published; answers them. */
  List<EventEnvelope> awaitEvents(String orderId, String type, int count) throws InterruptedException {
    until(count + " " + type + " of order " + orderId + " published (so far: " + eventsOf(orderId) + ")",
      Duration.ofSeconds(20), () -> eventsOf(orderId).stream().filter(e -> e.type().equals(type)).count() >= count);
    return eventsOf(orderId).stream().filter(e -> e.type().equals(type)).toList();
  }

  /** Waits until order-service's consumer has recorded {@code eventId} as processed. */
  void awaitProcessed(UUID eventId) throws InterruptedException {
    until("event " + eventId + " processed", Duration.ofSeconds(20), () -> {
      try {
        return count("SELECT count(*) FROM processed_events WHERE consumer = 'order-service' AND event_id = ?", eventId) == 1;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Waits until the order is in {@code status}. */
  void awaitStatus(String orderId, String status) throws InterruptedException {
    until("order " + orderId + " is " + status, Duration.ofSeconds(20), () -> {
      try {
        return count("SELECT count(*) FROM orders WHERE id = ? AND status = ?", UUID.fromString(orderId), status) == 1;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** product-service's side of {@code product-service.products.lookup}: known ids are answered, unknown ones left out. */
  void startCatalog() throws Exception {
    catalog = vertx.eventBus().consumer(ProductCatalog.LOOKUP_ADDRESS, message -> {
      lookups.incrementAndGet();
      JsonArray items = new JsonArray();
      for (Object id : message.body().getJsonArray("ids")) {
        JsonObject product = CATALOG.get(UUID.fromString((String) id));
        if (product != null) {
          items.add(product.copy().put("id", id));
        }
      }
      message.reply(new JsonObject().put("items", items));
    });
    await(catalog.completion());
  }

  void stopCatalog() throws Exception {
    await(catalog.unregister());
  }

  static UUID filler(int i) {
    return UUID.nameUUIDFromBytes(("filler-" + i).getBytes());
  }

  private static JsonObject product(String sku, String name, long priceCents, String currency) {
    return new JsonObject().put("sku", sku).put("name", name).put("priceCents", priceCents).put("currency", currency);
  }

  // ---- users (real user-service) ----

  record User(String id, String token) {
  }

  User newUser(String prefix) throws Exception {
    UserServiceHarness.Account account = users.register(prefix, prefix);
    return new User(account.id(), account.token());
  }

  User admin() throws Exception {
    return new User(null, users.adminToken());
  }

  // ---- HTTP to order-service ----

  HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path, String token) {
    return users.request(method, orderPort, path, token);
  }

  HttpResponse<Buffer> get(String path, String token) throws Exception {
    return await(request(io.vertx.core.http.HttpMethod.GET, path, token).send());
  }

  HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    return await(request(io.vertx.core.http.HttpMethod.POST, path, token).sendJsonObject(body));
  }

  Future<HttpResponse<Buffer>> placeAsync(String token, JsonObject body, String idempotencyKey) {
    HttpRequest<Buffer> request = request(io.vertx.core.http.HttpMethod.POST, "/api/v1/orders", token);
    if (idempotencyKey != null) {
      request.putHeader("Idempotency-Key", idempotencyKey);
    }
    return request.sendJsonObject(body);
  }

  HttpResponse<Buffer> place(String token, JsonObject body, String idempotencyKey) throws Exception {
    return await(placeAsync(token, body, idempotencyKey));
  }

  /** Places an order and answers its id. */
  String placed(User user, JsonObject body) throws Exception {
    HttpResponse<Buffer> response = place(user.token(), body, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    return response.bodyAsJsonObject().getString("id");
  }

  HttpResponse<Buffer> postRaw(String path, String token, String contentType, Buffer body) throws Exception {
    HttpRequest<Buffer> request = request(io.vertx.core.http.HttpMethod.POST, path, token);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(request.sendBuffer(body));
  }

  static JsonObject order(String token, Object... productAndQuantity) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < productAndQuantity.length; i += 2) {
      items.add(new JsonObject().put("productId", productAndQuantity[i].toString()).put("quantity", productAndQuantity[i + 1]));
    }
    return new JsonObject().put("items", items).put("payment", new JsonObject().put("token", token));
  }

  static void assertProblem(HttpResponse<Buffer> response, int status) {
    UserServiceHarness.assertProblem(response, status);
  }

  // ---- the order_service database, read as the service's own role ----

  long count(String sql, Object... params) throws SQLException {
    return UserServiceHarness.count(db, sql, params);
  }

  long ordersOf(User user) throws SQLException {
    return count("SELECT count(*) FROM orders WHERE user_id = ?", UUID.fromString(user.id()));
  }

  long linesOf(User user) throws SQLException {
    return count("SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.user_id = ?", UUID.fromString(user.id()));
  }

  int execute(String sql, Object... params) throws SQLException {
    return UserServiceHarness.execute(db, sql, params);
  }

}
