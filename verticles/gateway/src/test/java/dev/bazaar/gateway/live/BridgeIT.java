package dev.bazaar.gateway.live;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bazaar.gateway.GatewayVerticle;
import dev.bazaar.notification.NotificationServiceVerticle;
import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.metrics.Metrics;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.user.UserServiceVerticle;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-bus bridge of the real gateway, with the real user-service issuing tokens and the real
 * notification-service storing the notifications it pushes (one PostgreSQL), through a real
 * WebSocket client: pushes within a second, and every refusal of DESIGN §3 "Live", counted.
 */
@ExtendWith(VertxExtension.class)
class BridgeIT {
  private static final String ADMIN_EMAIL = "live-admin@example.test";
  private static final String ADMIN_PASSWORD = "live-admin-password";

  @TempDir
  static Path home;
  static Vertx vertx;
  static WebClient http;
  /** One client for every bridge connection, held to the end: an unreachable client is closed with its connections. */
  static WebSocketClient sockets;
  static int port;
  static String customerToken;
  static String customerId;
  static String otherId;
  static String adminToken;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    http = WebClient.create(vertx);
    sockets = vertx.createWebSocketClient();
    await(vertx.deployVerticle(new UserServiceVerticle(), config(new JsonObject()
      .put("db", db("user_service"))
      .put("auth", new JsonObject().put("keysDir", home.resolve("keys").toString()).put("bcryptCost", 4))
      .put("admin", new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD)))));
    await(vertx.deployVerticle(new NotificationServiceVerticle(), config(new JsonObject()
      .put("db", db("notification_service"))
      // notifications come in through the notify address here, not from the saga's Kafka topic
      .put("kafka", new JsonObject().put("enabled", false))
      .put("auth", new JsonObject().put("issuer", "bazaar-user-service").put("audience", "bazaar-api").put("jwksService", "user-service")))));
    port = freePort();
    await(vertx.deployVerticle(new GatewayVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      // a bridge connection outlives the request timeout of the HTTP request that opened it
      .put("http", new JsonObject().put("port", port).put("limits", new JsonObject().put("requestTimeoutMs", 1000)))
      .put("management", new JsonObject().put("port", 0))
      .put("instances", 2)
      .put("accessLog", false)
      .put("rateLimit", new JsonObject().put("enabled", false))
      .put("live", new JsonObject().put("maxFrameBytes", 2048).put("framesPerSecond", 5).put("frameBurst", 20))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("prefix", "/api/v1/auth").put("service", "user-service").put("public", true))
        .add(new JsonObject().put("prefix", "/api/v1/users").put("service", "user-service"))
        .add(new JsonObject().put("prefix", "/api/v1/notifications").put("address", NotificationServiceVerticle.API_ADDRESS))))));
    customerToken = newUser("live");
    customerId = me(customerToken);
    otherId = me(newUser("other"));
    adminToken = login(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void aStoredNotificationReachesItsUserWithinASecond(VertxTestContext test) throws Exception {
    String address = LiveAddresses.notifications(customerId);
    try (BridgeClient client = await(BridgeClient.connect(sockets, port))) {
      await(client.register(address, customerToken));
      client.awaitRegistered(address);
      String orderId = UUID.randomUUID().toString();
      long before = System.nanoTime();
      JsonObject stored = await(vertx.eventBus().<JsonObject>request(NotificationServiceVerticle.NOTIFY_ADDRESS, new JsonObject()
        .put("userId", customerId).put("orderId", orderId).put("kind", "ORDER_CONFIRMED").put("text", "Your order is confirmed."))).body();
      BridgeClient.Received pushed = client.next(f -> "rec".equals(f.getString("type")), Duration.ofSeconds(10));
      long latencyMs = (pushed.atNanos() - before) / 1_000_000;
      System.out.println("bridge push: stored → client in " + latencyMs + " ms");
      test.verify(() -> {
        assertThat(pushed.frame().getString("address")).isEqualTo(address);
        JsonObject body = pushed.frame().getJsonObject("body");
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("id", "orderId", "kind", "text", "createdAt");
        assertThat(body.getString("id")).isEqualTo(stored.getString("id"));
        assertThat(body.getString("orderId")).isEqualTo(orderId);
        assertThat(body.getString("kind")).isEqualTo("ORDER_CONFIRMED");
        assertThat(Instant.parse(body.getString("createdAt"))).isBefore(Instant.now().plusSeconds(1));
        assertThat(latencyMs).as("from the store request to the client").isLessThan(1000);
      });
      test.completeNow();
    }
  }

  @Test
  void anAdminMayListenToAnyUsersNotificationsAndToOpsEvents() throws Exception {
    String address = LiveAddresses.notifications(otherId);
    try (BridgeClient admin = await(BridgeClient.connect(sockets, port))) {
      await(admin.register(address, adminToken));
      admin.awaitRegistered(address);
      await(admin.register(LiveAddresses.OPS_EVENTS, adminToken));
      admin.awaitRegistered(LiveAddresses.OPS_EVENTS);
      JsonObject rates = admin.next(f -> "rec".equals(f.getString("type")) && LiveAddresses.OPS_EVENTS.equals(f.getString("address"))
        && "rates".equals(f.getJsonObject("body").getString("type")), Duration.ofSeconds(10)).frame().getJsonObject("body");
      assertThat(rates.getLong("placed")).isNotNull();
      // two more seconds of ops.events: the connection is older than the request timeout (1 s) now
      for (int i = 0; i < 2; i++) {
        admin.next(f -> "rec".equals(f.getString("type")) && "rates".equals(f.getJsonObject("body").getString("type")), Duration.ofSeconds(10));
      }
      await(vertx.eventBus().request(NotificationServiceVerticle.NOTIFY_ADDRESS, new JsonObject()
        .put("userId", otherId).put("kind", "WELCOME").put("text", "Hello.")));
      JsonObject pushed = admin.next(f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address")),
        Duration.ofSeconds(10)).frame().getJsonObject("body");
      assertThat(pushed.getString("kind")).isEqualTo("WELCOME");
      assertThat(pushed.containsKey("orderId")).isFalse();
    }
  }

  @Test
  void registrationsWithoutAValidTokenAreRefusedAndCounted() throws Exception {
    String address = LiveAddresses.notifications(customerId);
    try (BridgeClient client = await(BridgeClient.connect(sockets, port))) {
      double before = refused("token");
      assertThat(refusal(client, address, null)).isEqualTo(401);
      assertThat(refusal(client, address, "not.a.jwt")).isEqualTo(401);
      assertThat(refusal(client, address, signed(customerId, Instant.now().minusSeconds(600)))).isEqualTo(401);
      await(client.send(new JsonObject().put("type", "register").put("address", address)
        .put("headers", new JsonObject().put("Authorization", "Basic " + customerToken))));
      assertThat(client.awaitRefusal(address).getInteger("failureCode")).isEqualTo(401);
      assertThat(refused("token") - before).isEqualTo(4);
      assertNothingPushedTo(client, customerId);
    }
  }

  @Test
  void anotherUsersNotificationsAndOpsEventsAreForbiddenToACustomer() throws Exception {
    String others = LiveAddresses.notifications(otherId);
    try (BridgeClient client = await(BridgeClient.connect(sockets, port))) {
      double before = refused("forbidden");
      assertThat(refusal(client, others, customerToken)).isEqualTo(403);
      assertThat(refusal(client, LiveAddresses.OPS_EVENTS, customerToken)).isEqualTo(403);
      assertThat(refused("forbidden") - before).isEqualTo(2);
      assertNothingPushedTo(client, otherId);
    }
  }

  @Test
  void unknownAddressesAndInboundMessagesAreRefusedAndCounted() throws Exception {
    try (BridgeClient client = await(BridgeClient.connect(sockets, port))) {
      double addresses = refused("address");
      double inbound = refused("inbound");
      for (String address : List.of("notification-service.api", "notifications." + customerId.toUpperCase(), "notifications.x",
        "bazaar.discovery.heartbeat", "ops.events.more")) {
        assertThat(refusal(client, address, customerToken)).as(address).isEqualTo(404);
      }
      for (String type : List.of("send", "publish")) {
        String address = NotificationServiceVerticle.NOTIFY_ADDRESS;
        await(client.send(new JsonObject().put("type", type).put("address", address)
          .put("headers", new JsonObject().put("Authorization", "Bearer " + adminToken))
          .put("body", new JsonObject().put("userId", customerId).put("kind", "FAKE").put("text", "forged"))));
        assertThat(client.awaitRefusal(address).getInteger("failureCode")).as(type).isEqualTo(403);
      }
      assertThat(refused("address") - addresses).isEqualTo(5);
      assertThat(refused("inbound") - inbound).isEqualTo(2);
      HttpResponse<Buffer> page = get("/api/v1/notifications", customerToken);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.bodyAsString()).doesNotContain("forged");
    }
  }

  @Test
  void oversizedFramesAreRefusedAndFloodsCloseTheConnection() throws Exception {
    String address = LiveAddresses.notifications(customerId);
    try (BridgeClient client = await(BridgeClient.connect(sockets, port))) {
      double oversized = refused("oversized");
      await(client.send(new JsonObject().put("type", "register").put("address", address)
        .put("headers", new JsonObject().put("Authorization", "Bearer " + customerToken).put("padding", "x".repeat(4096)))));
      assertThat(client.awaitRefusal(address).getInteger("failureCode")).isEqualTo(413);
      assertThat(refused("oversized") - oversized).isEqualTo(1);
    }
    try (BridgeClient flooder = await(BridgeClient.connect(sockets, port))) {
      double floods = refused("flood");
      for (int i = 0; i < 200; i++) {
        flooder.send(new JsonObject().put("type", "ping"));
      }
      assertThat(flooder.awaitRefusal(null).getInteger("failureCode")).isEqualTo(429);
      assertThat(flooder.closedWithin(Duration.ofSeconds(10))).as("the flooding connection is closed").isTrue();
      assertThat(refused("flood") - floods).isEqualTo(1);
    }
    // the gateway is unharmed: a new connection registers and the API answers
    try (BridgeClient client = await(BridgeClient.connect(sockets, port))) {
      await(client.register(address, customerToken));
      client.awaitRegistered(address);
    }
    assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theConsoleIsServedWithAStrictPolicyAndSockJsAnswersItsInfo() throws Exception {
    HttpResponse<Buffer> page = get("/console/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(page.bodyAsString()).contains("Bazaar");
    assertThat(get("/console/console.js", null).statusCode()).isEqualTo(200);
    assertThat(get("/console/../metrics", null).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> missing = get("/console/nothing.js", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("Content-Type")).isEqualTo("application/problem+json");
    HttpResponse<Buffer> redirect = await(http.get(port, "127.0.0.1", "/console").followRedirects(false).send());
    assertThat(redirect.statusCode()).isEqualTo(302);
    HttpResponse<Buffer> info = get("/eventbus/info", null);
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(info.bodyAsJsonObject().getBoolean("websocket")).isTrue();
  }

  /** A notification for {@code userId} stored now does not reach {@code client}, while one for the customer would reach a registered client. */
  private static void assertNothingPushedTo(BridgeClient client, String userId) throws Exception {
    String address = LiveAddresses.notifications(customerId);
    try (BridgeClient witness = await(BridgeClient.connect(sockets, port))) {
      await(witness.register(address, customerToken));
      witness.awaitRegistered(address);
      await(vertx.eventBus().request(NotificationServiceVerticle.NOTIFY_ADDRESS, new JsonObject()
        .put("userId", userId).put("kind", "PROBE").put("text", "probe for " + userId)));
      await(vertx.eventBus().request(NotificationServiceVerticle.NOTIFY_ADDRESS, new JsonObject()
        .put("userId", customerId).put("kind", "PROBE").put("text", "probe for the witness")));
      witness.next(f -> "rec".equals(f.getString("type")) && f.encode().contains("probe for the witness"), Duration.ofSeconds(10));
    }
    assertThat(client.drain()).noneMatch(f -> "rec".equals(f.getString("type")));
  }

  /** Registers {@code client} for {@code address} with {@code token}, expecting a refusal: its failure code. */
  private static int refusal(BridgeClient client, String address, String token) throws Exception {
    await(client.register(address, token));
    return client.awaitRefusal(address).getInteger("failureCode");
  }

  private static double refused(String reason) {
    Counter counter = Metrics.registry().find("bazaar.bridge.refused").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  private static String signed(String subject, Instant expiry) throws Exception {
    RSAKey key = RSAKey.parse(Files.readString(home.resolve("keys/user-service-signing-key.json")));
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("bazaar-user-service").audience("bazaar-api")
      .subject(subject).claim("roles", List.of("customer"))
      .issueTime(Date.from(expiry.minusSeconds(7200))).expirationTime(Date.from(expiry)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static String newUser(String name) throws Exception {
    String email = name + "-" + UUID.randomUUID() + "@example.test";
    HttpResponse<Buffer> registered = await(http.post(port, "127.0.0.1", "/api/v1/auth/register")
      .sendJsonObject(new JsonObject().put("email", email).put("password", name + "-password").put("name", name)));
    assertThat(registered.statusCode()).isEqualTo(201);
    return login(email, name + "-password");
  }

  private static String login(String email, String password) throws Exception {
    HttpResponse<Buffer> response = await(http.post(port, "127.0.0.1", "/api/v1/auth/login")
      .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  private static String me(String token) throws Exception {
    return get("/api/v1/users/me", token).bodyAsJsonObject().getString("id");
  }

  private static HttpResponse<Buffer> get(String path, String token) throws Exception {
    var request = http.get(port, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(request.send());
  }

  private static DeploymentOptions config(JsonObject config) {
    return new DeploymentOptions().setConfig(config.put("http", new JsonObject().put("port", 0)));
  }

  private static JsonObject db(String database) {
    DatabaseSettings db = TestPostgres.database(database);
    return new JsonObject().put("host", db.host()).put("port", db.port()).put("database", db.database())
      .put("user", db.user()).put("password", db.password());
  }
}
