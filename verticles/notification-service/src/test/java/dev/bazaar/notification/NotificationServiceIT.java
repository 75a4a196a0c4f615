package dev.bazaar.notification;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.discovery.ServiceInstance;
import dev.bazaar.platform.discovery.ServiceRegistry;
import dev.bazaar.platform.eventbus.BusReply;
import dev.bazaar.platform.eventbus.BusRequest;
import dev.bazaar.platform.http.Problems;
import dev.bazaar.platform.testing.BusProblems;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.testing.TestKafka;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.user.UserServiceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.failure;
import static dev.bazaar.platform.testing.TestBed.freePort;
import static dev.bazaar.platform.testing.TestBed.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * notification-service against a real PostgreSQL, with the real user-service issuing the tokens,
 * both in one Vert.x, called over the event bus exactly as the gateway calls it, and consuming the
 * order saga's events from a real Kafka broker.
 */
class NotificationServiceIT {
  private static final String API = NotificationServiceVerticle.API_ADDRESS;
  private static final String NOTIFY = NotificationServiceVerticle.NOTIFY_ADDRESS;
  private static final String LIST = "/api/v1/notifications";
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @TempDir
  static Path home;
  static Vertx vertx;
  static WebClient client;
  static DatabaseSettings db;
  static int userServicePort;
  static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start() throws Exception {
    DatabaseSettings users = TestPostgres.database("user_service");
    db = TestPostgres.database("notification_service");
    userServicePort = freePort();
    JsonObject userService = new JsonObject()
      .put("http", new JsonObject().put("port", userServicePort))
      .put("db", dbConfig(users))
      .put("auth", new JsonObject().put("keysDir", home.resolve("keys").toString()).put("bcryptCost", 4))
      .put("admin", new JsonObject().put("email", "root@example.test").put("passwordFile", home.resolve("admin-password").toString()));
    JsonObject notificationService = new JsonObject()
      .put("http", new JsonObject().put("port", 0))
      .put("db", dbConfig(db))
      .put("auth", new JsonObject().put("issuer", "bazaar-user-service").put("audience", "bazaar-api").put("jwksService", "user-service"))
      .put("client", new JsonObject().put("timeoutMs", 1000))
      .put("kafka", new JsonObject().put("bootstrap", TestKafka.bootstrap()).put("clientId", "notification-it")
        .put("consumerGroup", "notification-service").put("backoffBaseMs", 50).put("backoffCapMs", 500)
        .put("requestTimeoutMs", 5000));
    producer = TestKafka.producer(TestKafka.bootstrap(), new StringSerializer());
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    client = WebClient.create(vertx);
    await(vertx.deployVerticle(new UserServiceVerticle(), new DeploymentOptions().setConfig(userService)));
    await(vertx.deployVerticle(new NotificationServiceVerticle(), new DeploymentOptions().setConfig(notificationService)));
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

  @Test
  void eachUserListsOnlyTheirOwnNotificationsNewestFirst() throws Exception {
    User ann = user("ann");
    User bob = user("bob");
    UUID order = UUID.randomUUID();
    String first = notify(ann.id(), order, "ORDER_CONFIRMED", "ann 1");
    notify(ann.id(), null, "ORDER_CANCELLED", "ann 2");
    notify(ann.id(), null, "ORDER_CONFIRMED", "ann 3");
    notify(bob.id(), null, "ORDER_CONFIRMED", "bob 1");

    BusReply anns = api("GET", LIST, Map.of(), ann.token());
    assertThat(anns.status()).isEqualTo(200);
    assertThat(anns.headers()).containsEntry("Content-Type", "application/json");
    assertThat(anns.body().fieldNames()).containsExactlyInAnyOrder("items", "page", "size", "total");
    assertThat(anns.body().getLong("total")).isEqualTo(3);
    assertThat(texts(anns)).containsExactly("ann 3", "ann 2", "ann 1");
    JsonObject oldest = anns.body().getJsonArray("items").getJsonObject(2);
    assertThat(oldest.fieldNames()).containsExactlyInAnyOrder("id", "orderId", "kind", "text", "read", "createdAt");
    assertThat(oldest.getString("id")).isEqualTo(first);
    assertThat(oldest.getString("orderId")).isEqualTo(order.toString());
    assertThat(oldest.getString("kind")).isEqualTo("ORDER_CONFIRMED");
    assertThat(oldest.getBoolean("read")).isFalse();
    assertThat(Instant.parse(oldest.getString("createdAt"))).isBefore(Instant.now().plusSeconds(5));
    assertThat(anns.body().getJsonArray("items").getJsonObject(0).fieldNames()).doesNotContain("orderId");

    assertThat(texts(api("GET", LIST, Map.of(), bob.token()))).containsExactly("bob 1");

    // An admin is a user like the others here: their own notifications, not everyone's.
    User admin = admin();
    notify(admin.id(), null, "WELCOME", "admin 1");
    BusReply admins = api("GET", LIST, Map.of(), admin.token());
    assertThat(texts(admins)).containsExactly("admin 1");
    assertThat(admins.body().getLong("total")).isEqualTo(1);
  }

  @Test
  void pagesAreBoundedAndBadParametersAre400Problems() throws Exception {
    User cat = user("cat");
    for (int i = 1; i <= 3; i++) {
      notify(cat.id(), null, "ORDER_CONFIRMED", "cat " + i);
    }
    BusReply firstPage = api("GET", LIST, Map.of("page", "0", "size", "2"), cat.token());
    assertThat(texts(firstPage)).containsExactly("cat 3", "cat 2");
    assertThat(firstPage.body().getInteger("page")).isZero();
    assertThat(firstPage.body().getInteger("size")).isEqualTo(2);
    assertThat(firstPage.body().getLong("total")).isEqualTo(3);
    assertThat(texts(api("GET", LIST, Map.of("page", "1", "size", "2"), cat.token()))).containsExactly("cat 1");
    BusReply beyond = api("GET", LIST, Map.of("page", "7", "size", "100"), cat.token());
    assertThat(texts(beyond)).isEmpty();
    assertThat(beyond.body().getLong("total")).isEqualTo(3);
    assertThat(api("GET", LIST, Map.of(), cat.token()).body().getInteger("size")).isEqualTo(20);

    for (Map<String, String> bad : List.of(Map.of("page", "-1"), Map.of("size", "0"), Map.of("size", "101"),
      Map.of("page", "x"), Map.of("page", "100001"), Map.of("size", "1e2"), Map.of("unread", "maybe"))) {
      BusReply reply = api("GET", LIST, bad, cat.token());
      assertProblem(reply, 400, LIST);
      assertThat(reply.body().getJsonArray("errors")).hasSize(1);
      assertThat(reply.body().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo(bad.keySet().iterator().next());
    }
    assertThat(api("GET", LIST, Map.of("page", "-1", "size", "0"), cat.token()).body().getJsonArray("errors")).hasSize(2);
  }

  @Test
  void onlyTheOwnerMarksANotificationRead() throws Exception {
    User dan = user("dan");
    User eve = user("eve");
    String id = notify(dan.id(), null, "ORDER_CONFIRMED", "dan 1");
    notify(dan.id(), null, "ORDER_CONFIRMED", "dan 2");
    String path = LIST + "/" + id + "/read";

    assertProblem(api("POST", path, Map.of(), eve.token()), 404, path);
    assertProblem(api("POST", path, Map.of(), admin().token()), 404, path);
    assertThat(storedRead(id)).isFalse();

    BusReply marked = api("POST", path, Map.of(), dan.token());
    assertThat(marked.status()).isEqualTo(200);
    assertThat(marked.body().getString("id")).isEqualTo(id);
    assertThat(marked.body().getBoolean("read")).isTrue();
    assertThat(marked.body().getString("text")).isEqualTo("dan 1");
    assertThat(storedRead(id)).isTrue();
    assertThat(api("POST", path, Map.of(), dan.token()).status()).isEqualTo(200);

    assertThat(texts(api("GET", LIST, Map.of("unread", "true"), dan.token()))).containsExactly("dan 2");
    assertThat(texts(api("GET", LIST, Map.of("unread", "false"), dan.token()))).containsExactly("dan 2", "dan 1");

    String unknown = LIST + "/" + UUID.randomUUID() + "/read";
    assertProblem(api("POST", unknown, Map.of(), dan.token()), 404, unknown);
    for (String malformed : List.of("not-a-uuid", "1-1-1-1-1", "%00", id + "x")) {
      String bad = LIST + "/" + malformed + "/read";
      assertProblem(api("POST", bad, Map.of(), dan.token()), 404, bad);
    }
  }

  @Test
  void missingBadOrForgedTokensAre401Problems() throws Exception {
    User fay = user("fay");
    String[] parts = fay.token().split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
      .encodeToString(payload.replace("\"customer\"", "\"admin\"").getBytes()) + "." + parts[2];
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
      + "." + parts[1] + ".";
    for (String token : new String[] {null, "garbage", forged, none,
      signed(fay.id(), Instant.now().minusSeconds(3600), "bazaar-api"),
      signed(fay.id(), Instant.now().plusSeconds(600), "someone-else")}) {
      BusReply reply = api("GET", LIST, Map.of(), token);
      assertProblem(reply, 401, LIST);
      assertThat(reply.headers()).containsEntry("WWW-Authenticate", "Bearer");
    }
    String read = LIST + "/" + UUID.randomUUID() + "/read";
    assertProblem(api("POST", read, Map.of(), null), 401, read);
    // the same key and claims, made here: accepted, so the rejections above are about the token
    assertThat(api("GET", LIST, Map.of(), signed(fay.id(), Instant.now().plusSeconds(600), "bazaar-api")).status()).isEqualTo(200);
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    String token = user("gus").token();
    assertProblem(api("GET", "/api/v1/nothing-here", Map.of(), token), 404, "/api/v1/nothing-here");
    assertProblem(api("GET", "/api/v1/notifications/x", Map.of(), null), 404, "/api/v1/notifications/x");
    BusReply delete = api("DELETE", LIST, Map.of(), token);
    assertProblem(delete, 405, LIST);
    assertThat(delete.headers()).containsEntry("Allow", "GET");
    String read = LIST + "/" + UUID.randomUUID() + "/read";
    BusReply getRead = api("GET", read, Map.of(), token);
    assertProblem(getRead, 405, read);
    assertThat(getRead.headers()).containsEntry("Allow", "POST");
  }

  @Test
  void notifyRejectsBadInputAndStoresNothing() throws Exception {
    UUID userId = UUID.randomUUID();
    String user = userId.toString();
    List<Object> bad = List.of(
      new JsonObject().put("userId", "not-a-uuid").put("kind", "ORDER_CONFIRMED").put("text", "hello"),
      new JsonObject().put("kind", "ORDER_CONFIRMED").put("text", "hello"),
      new JsonObject().put("userId", 42).put("kind", "ORDER_CONFIRMED").put("text", "hello"),
      new JsonObject().put("userId", user).put("kind", "ORDER_CONFIRMED").put("text", ""),
      new JsonObject().put("userId", user).put("kind", "ORDER_CONFIRMED").put("text", "   "),
      new JsonObject().put("userId", user).put("kind", "ORDER_CONFIRMED").put("text", "t".repeat(1001)),
      new JsonObject().put("userId", user).put("kind", "ORDER_CONFIRMED"),
      new JsonObject().put("userId", user).put("kind", "").put("text", "hello"),
      new JsonObject().put("userId", user).put("kind", "K".repeat(65)).put("text", "hello"),
      new JsonObject().put("userId", user).put("text", "hello"),
      new JsonObject().put("userId", user).put("orderId", "order-1").put("kind", "ORDER_CONFIRMED").put("text", "hello"),
      new JsonObject().put("userId", user).put("kind", "ORDER_CONFIRMED").put("text", "a\u0000b"),
      "not json",
      new JsonArray().add(user));
    for (Object body : bad) {
      assertThatThrownBy(() -> await(vertx.eventBus().request(NOTIFY, body)))
        .as("notify %s", body)
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(e.failureCode()).isEqualTo(400);
          assertThat(e.getMessage()).isNotBlank();
        });
    }
    assertThat(storedFor(userId)).isZero();

    Throwable named = failure(vertx.eventBus().request(NOTIFY, new JsonObject().put("userId", "nope").put("text", "")));
    assertThat(named).isInstanceOf(ReplyException.class);
    assertThat(named.getMessage()).contains("userId").contains("kind").contains("text");

    String longest = "t".repeat(1000);
    notify(userId, null, "ORDER_CONFIRMED", longest);
    assertThat(storedFor(userId)).isEqualTo(1);
  }

  @Test
  void theHttpServerServesOperationsOnlyAndIsDiscoverable() throws Exception {
    ServiceRegistry registry = await(ServiceRegistry.create(vertx));
    try {
      List<ServiceInstance> instances = registry.instances(NotificationServiceVerticle.NAME);
      assertThat(instances).hasSize(1);
      int port = instances.get(0).port();
      HttpResponse<Buffer> ready = await(client.get(port, "127.0.0.1", "/health/ready").send());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.bodyAsJsonObject().getJsonObject("checks").fieldNames()).contains("database", "cluster");
      assertThat(await(client.get(port, "127.0.0.1", "/metrics").send()).bodyAsString()).contains("vertx_eventbus");
      HttpResponse<Buffer> api = await(client.get(port, "127.0.0.1", LIST).bearerTokenAuthentication(user("hal").token()).send());
      assertThat(api.statusCode()).isEqualTo(404);
      assertThat(api.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
    } finally {
      await(registry.close());
    }
  }

  @Test
  void theServiceRoleCannotConnectToAnotherServicesDatabase() {
    DatabaseSettings other = TestPostgres.database("user_service");
    String url = "jdbc:postgresql://127.0.0.1:" + other.port() + "/" + other.database();
    assertThatThrownBy(() -> DriverManager.getConnection(url, db.user(), db.password()).close())
      .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
  }

  // ---- the order saga: order-events consumed once per event

  @Test
  void aConfirmedOrderIsNotifiedOnceHoweverOftenItsEventArrives() throws Exception {
    User eve = user("eve");
    UUID order = UUID.randomUUID();
    produce(EventEnvelope.create("OrderCreated", order.toString(), new JsonObject().put("userId", eve.id().toString())
      .put("items", new JsonArray()).put("totalCents", 1234).put("currency", "EUR").put("paymentToken", "tok_ok")
      .put("deadline", Instant.now().toString())));
    EventEnvelope confirmed = EventEnvelope.create("OrderConfirmed", order.toString(),
      new JsonObject().put("userId", eve.id().toString()).put("totalCents", 1234).put("currency", "EUR"));
    produce(confirmed);
    produce(confirmed); // redelivered: same event id
    // the order's events are consumed in order: once this one is processed, so are the ones before it
    EventEnvelope marker = EventEnvelope.create("OrderConfirmed", order.toString(),
      new JsonObject().put("userId", eve.id().toString()).put("totalCents", 1234).put("currency", "EUR"));
    produce(marker);
    awaitProcessed(marker);

    BusReply list = api("GET", LIST, Map.of(), eve.token());
    assertThat(list.body().getLong("total")).isEqualTo(1);
    JsonObject notification = list.body().getJsonArray("items").getJsonObject(0);
    assertThat(notification.getString("kind")).isEqualTo("ORDER_CONFIRMED");
    assertThat(notification.getString("orderId")).isEqualTo(order.toString());
    assertThat(notification.getString("text"))
      .isEqualTo("Your order " + order.toString().substring(0, 8) + " is confirmed: 12.34 EUR.");
    assertThat(storedFor(eve.id())).isEqualTo(1);
  }

  @Test
  void aCancelledOrderIsNotifiedOnceWithItsReasonInWords() throws Exception {
    User fay = user("fay");
    UUID order = UUID.randomUUID();
    produce(cancelled(order, fay.id(), "payment_failed"));
    // a second cancellation of the order (re-announced so that a late payment is refunded): no second notification
    EventEnvelope again = cancelled(order, fay.id(), "deadline_expired");
    produce(again);
    awaitProcessed(again);

    BusReply list = api("GET", LIST, Map.of(), fay.token());
    assertThat(list.body().getLong("total")).isEqualTo(1);
    JsonObject notification = list.body().getJsonArray("items").getJsonObject(0);
    assertThat(notification.getString("kind")).isEqualTo("ORDER_CANCELLED");
    assertThat(notification.getString("orderId")).isEqualTo(order.toString());
    assertThat(notification.getString("text"))
      .isEqualTo("Your order " + order.toString().substring(0, 8) + " was cancelled: the payment did not go through.");
  }

  private static EventEnvelope cancelled(UUID order, UUID user, String reason) {
    return EventEnvelope.create("OrderCancelled", order.toString(),
      new JsonObject().put("userId", user.toString()).put("reason", reason).put("previousStatus", "PENDING"));
  }

  private static void produce(EventEnvelope event) throws Exception {
    producer.send(new ProducerRecord<>("order-events", event.orderId(), event.toJson().encode())).get(30, TimeUnit.SECONDS);
  }

  private static void awaitProcessed(EventEnvelope event) {
    until(event.type() + " " + event.eventId() + " processed", Duration.ofSeconds(60), () -> processed(event.eventId()) > 0);
  }

  private static long processed(UUID eventId) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement s = c.prepareStatement("SELECT count(*) FROM processed_events WHERE event_id = ?")) {
      s.setObject(1, eventId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private record User(UUID id, String token) {
  }

  private static User user(String prefix) throws Exception {
    String email = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    HttpResponse<Buffer> created = await(client.post(userServicePort, "127.0.0.1", "/api/v1/auth/register")
      .sendJsonObject(new JsonObject().put("email", email).put("password", "s3cret-pass").put("name", prefix)));
    assertThat(created.statusCode()).isEqualTo(201);
    return new User(UUID.fromString(created.bodyAsJsonObject().getString("id")), login(email, "s3cret-pass"));
  }

  private static User admin() throws Exception {
    String token = login("root@example.test", Files.readString(home.resolve("admin-password")).strip());
    HttpResponse<Buffer> me = await(client.get(userServicePort, "127.0.0.1", "/api/v1/users/me").bearerTokenAuthentication(token).send());
    assertThat(me.bodyAsJsonObject().getJsonArray("roles").getList()).contains("admin");
    return new User(UUID.fromString(me.bodyAsJsonObject().getString("id")), token);
  }

  private static String login(String email, String password) throws Exception {
    HttpResponse<Buffer> response = await(client.post(userServicePort, "127.0.0.1", "/api/v1/auth/login")
      .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  /** Stores a notification through the internal address, as other services will. */
  private static String notify(UUID userId, UUID orderId, String kind, String text) throws Exception {
    JsonObject body = new JsonObject().put("userId", userId.toString()).put("kind", kind).put("text", text);
    if (orderId != null) {
      body.put("orderId", orderId.toString());
    }
    JsonObject reply = await(vertx.eventBus().<JsonObject>request(NOTIFY, body)).body();
    assertThat(reply.fieldNames()).containsExactly("id");
    return reply.getString("id");
  }

  /** A request translated exactly as the gateway does; the answer is always a regular reply. */
  private static BusReply api(String method, String path, Map<String, String> query, String token) throws Exception {
    Map<String, String> headers = new TreeMap<>();
    headers.put("traceparent", "00-" + TRACE + "-b7ad6b7169203331-01");
    if (token != null) {
      headers.put("authorization", "Bearer " + token);
    }
    BusRequest request = new BusRequest(method, path, new TreeMap<>(query), headers, null);
    return BusReply.fromJson(await(vertx.eventBus().<JsonObject>request(API, request.toJson())).body());
  }

  private static List<String> texts(BusReply reply) {
    assertThat(reply.status()).isEqualTo(200);
    return reply.body().getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("text")).toList();
  }

  private static void assertProblem(BusReply reply, int status, String path) {
    JsonObject problem = BusProblems.assertProblem(reply, status, path);
    assertThat(problem.getString("traceId")).isEqualTo(TRACE);
    assertThat(problem.encode()).doesNotContain("Exception").doesNotContain("at dev.");
  }

  private static String signed(UUID subject, Instant expiry, String audience) throws Exception {
    RSAKey key = RSAKey.parse(Files.readString(home.resolve("keys/user-service-signing-key.json")));
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("bazaar-user-service").audience(audience)
      .subject(subject.toString()).claim("roles", List.of("customer"))
      .issueTime(Date.from(expiry.minusSeconds(7200))).expirationTime(Date.from(expiry)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static boolean storedRead(String id) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement s = c.prepareStatement("SELECT read FROM notifications WHERE id = ?")) {
      s.setObject(1, UUID.fromString(id));
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getBoolean(1);
      }
    }
  }

  private static long storedFor(UUID userId) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement s = c.prepareStatement("SELECT count(*) FROM notifications WHERE user_id = ?")) {
      s.setObject(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static JsonObject dbConfig(DatabaseSettings settings) {
    return new JsonObject().put("host", settings.host()).put("port", settings.port()).put("database", settings.database())
      .put("user", settings.user()).put("password", settings.password());
  }

}
