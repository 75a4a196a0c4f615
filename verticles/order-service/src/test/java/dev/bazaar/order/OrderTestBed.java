package dev.bazaar.order;

import dev.bazaar.order.catalog.ProductCatalog;
import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.testing.TestKafka;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.user.UserServiceVerticle;
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
import io.vertx.ext.web.client.WebClient;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real user-service and order-service in one unclustered Vert.x, on real PostgreSQL. product-service
 * is played by a consumer of its lookup contract ({@link ProductCatalog}) answering from a fixed catalog.
 * Kafka is a real broker ({@link TestKafka}): the test reads everything order-service publishes on
 * {@code order-events} ({@link #published}) and plays inventory and payment by producing their events.
 */
final class OrderTestBed implements AutoCloseable {
  static final String ADMIN_EMAIL = "root@example.test";
  static final String ADMIN_PASSWORD = "admin-s3cret-pass";
  static final String PASSWORD = "s3cret-pass";

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
  final WebClient client;
  final DatabaseSettings db;
  final int userPort;
  final int orderPort;
  final AtomicInteger lookups = new AtomicInteger();
  final String bootstrap;
  /** Every record on order-events since the topic began (all test classes share the broker). */
  final List<KafkaConsumerRecord<String, String>> published = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> catalog;
  private KafkaConsumer<String, String> orderEvents;
  private KafkaProducer<String, String> producer;

  private OrderTestBed(Vertx vertx, DatabaseSettings db, int userPort, int orderPort, String bootstrap) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.db = db;
    this.userPort = userPort;
    this.orderPort = orderPort;
    this.bootstrap = bootstrap;
  }

  /** Orders are due 5 minutes after they are placed: the sweeper never interferes with a test. */
  static OrderTestBed start(Path home) throws Exception {
    return start(home, 300);
  }

  static OrderTestBed start(Path home, int deadlineSeconds) throws Exception {
    DatabaseSettings users = TestPostgres.database("user_service");
    DatabaseSettings orders = TestPostgres.database("order_service");
    int userPort = freePort();
    int orderPort = freePort();
    String bootstrap = TestKafka.bootstrap();
    Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    OrderTestBed bed = new OrderTestBed(vertx, orders, userPort, orderPort, bootstrap);
    try {
      bed.startCatalog();
      await(vertx.deployVerticle(new UserServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("http", new JsonObject().put("port", userPort))
        .put("db", dbConfig(users))
        .put("auth", new JsonObject().put("keysDir", home.resolve("keys").toString()).put("bcryptCost", 4))
        .put("admin", new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD)
          .put("passwordFile", home.resolve("admin-password").toString())))));
      await(vertx.deployVerticle(new OrderServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("http", new JsonObject().put("port", orderPort))
        .put("db", dbConfig(orders))
        .put("auth", new JsonObject().put("issuer", "bazaar-user-service").put("audience", "bazaar-api").put("jwksService", "user-service"))
        .put("client", new JsonObject().put("timeoutMs", 1000).put("maxAttempts", 3).put("backoffBaseMs", 100)
          .put("backoffCapMs", 1000).put("retryBudgetMs", 3000).put("breakerMaxFailures", 5).put("breakerResetMs", 3000))
        .put("payment", new JsonObject().put("tokenPattern", OrderServiceConfig.DEFAULT_TOKEN_PATTERN))
        .put("kafka", new JsonObject().put("bootstrap", bootstrap).put("clientId", "order-service-it")
          .put("consumerGroup", "order-service").put("requestTimeoutMs", 5000).put("relayLockRetryMs", 200)
          .put("backoffBaseMs", 50).put("backoffCapMs", 500))
        .put("saga", new JsonObject().put("deadlineSeconds", deadlineSeconds).put("sweepIntervalMs", 200)))));
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
    awaitCondition(count + " " + type + " of order " + orderId + " published (so far: " + eventsOf(orderId) + ")",
      Duration.ofSeconds(20), () -> eventsOf(orderId).stream().filter(e -> e.type().equals(type)).count() >= count);
    return eventsOf(orderId).stream().filter(e -> e.type().equals(type)).toList();
  }

  /** Waits until order-service's consumer has recorded {@code eventId} as processed. */
  void awaitProcessed(UUID eventId) throws InterruptedException {
    awaitCondition("event " + eventId + " processed", Duration.ofSeconds(20), () -> {
      try {
        return count("SELECT count(*) FROM processed_events WHERE consumer = 'order-service' AND event_id = ?", eventId) == 1;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Waits until the order is in {@code status}. */
  void awaitStatus(String orderId, String status) throws InterruptedException {
    awaitCondition("order " + orderId + " is " + status, Duration.ofSeconds(20), () -> {
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
    String email = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    HttpResponse<Buffer> created = await(client.post(userPort, "127.0.0.1", "/api/v1/auth/register")
      .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD).put("name", prefix)));
    assertThat(created.statusCode()).isEqualTo(201);
    return new User(created.bodyAsJsonObject().getString("id"), login(email, PASSWORD));
  }

  User admin() throws Exception {
    return new User(null, login(ADMIN_EMAIL, ADMIN_PASSWORD));
  }

  private String login(String email, String password) throws Exception {
    HttpResponse<Buffer> response = await(client.post(userPort, "127.0.0.1", "/api/v1/auth/login")
      .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  // ---- HTTP to order-service ----

  HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request = client.request(method, orderPort, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request;
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
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("type")).startsWith("https://bazaar.dev/problems/");
    assertThat(problem.getString("traceId")).matches("[0-9a-f]{32}");
    assertThat(response.getHeader("traceparent")).contains(problem.getString("traceId"));
    assertThat(response.bodyAsString()).doesNotContain("Exception").doesNotContain("at dev.");
  }

  // ---- the order_service database, read as the service's own role ----

  long count(String sql, Object... params) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  long ordersOf(User user) throws SQLException {
    return count("SELECT count(*) FROM orders WHERE user_id = ?", UUID.fromString(user.id()));
  }

  long linesOf(User user) throws SQLException {
    return count("SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.user_id = ?", UUID.fromString(user.id()));
  }

  int execute(String sql, Object... params) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      return statement.executeUpdate();
    }
  }

  // ---- waiting ----

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Polls {@code condition} until it holds, failing after {@code timeout}. */
  static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  private static JsonObject dbConfig(DatabaseSettings db) {
    return new JsonObject().put("host", db.host()).put("port", db.port()).put("database", db.database())
      .put("user", db.user()).put("password", db.password());
  }

  private static int freePort() throws Exception {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
