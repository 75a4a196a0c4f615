package dev.bazaar.payment;

import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestKafka;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.platform.testing.TestSeal;
import dev.bazaar.user.testing.UserServiceHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.user.testing.UserServiceHarness.assertProblem;
import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** payment-service's read API on real PostgreSQL, with real tokens from the real user-service. */
class PaymentServiceIT {
  static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);

  @TempDir
  static Path home;
  static Vertx vertx;
  static WebClient client;
  static DatabaseSettings db;
  static UserServiceHarness users;
  static int paymentPort;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.database("payment_service");
    paymentPort = freePort();
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    client = WebClient.create(vertx);
    users = UserServiceHarness.deploy(vertx, home);
    await(vertx.deployVerticle(new PaymentServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("http", new JsonObject().put("port", paymentPort))
      .put("db", UserServiceHarness.dbConfig(db))
      .put("auth", UserServiceHarness.authConfig())
      .put("client", new JsonObject().put("timeoutMs", 1000).put("maxAttempts", 3).put("backoffBaseMs", 100)
        .put("backoffCapMs", 1000).put("retryBudgetMs", 3000).put("breakerMaxFailures", 5).put("breakerResetMs", 3000))
      .put("kafka", new JsonObject().put("bootstrap", TestKafka.bootstrap()).put("consumerGroup", "payment-service-api-it"))
      .put("provider", new JsonObject().put("url", "http://127.0.0.1:" + freePort()))
      .put("paymentTokenSeal", TestSeal.config()))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  record User(String id, String token) {
  }

  @Test
  void aUserSeesTheirOwnPaymentsNewestFirst() throws Exception {
    User ann = newUser("ann");
    User bob = newUser("bob");
    UUID oldest = insertPayment(ann, UUID.randomUUID(), 1000, "SUCCEEDED", T0);
    UUID middle = insertPayment(ann, UUID.randomUUID(), 2500, "REFUNDED", T0.plusMinutes(1));
    UUID newest = insertPayment(ann, UUID.randomUUID(), 700, "PENDING", T0.plusMinutes(2));
    insertPayment(bob, UUID.randomUUID(), 999, "FAILED", T0.plusMinutes(3));

    JsonObject page = list("/api/v1/payments", ann);
    assertThat(page.fieldNames()).containsExactlyInAnyOrder("items", "page", "size", "total");
    assertThat(page.getLong("total")).isEqualTo(3);
    assertThat(page.getInteger("size")).isEqualTo(20);
    assertThat(idsOf(page)).containsExactly(newest.toString(), middle.toString(), oldest.toString());
    JsonObject first = page.getJsonArray("items").getJsonObject(0);
    assertThat(first.fieldNames()).containsExactlyInAnyOrder("id", "orderId", "amountCents", "currency", "status", "createdAt");
    assertThat(first.getLong("amountCents")).isEqualTo(700);
    assertThat(first.getString("currency")).isEqualTo("EUR");
    assertThat(first.getString("status")).isEqualTo("PENDING");
    assertThat(first.getString("createdAt")).isEqualTo(T0.plusMinutes(2).toInstant().toString());
    assertThat(list("/api/v1/payments", bob).getLong("total")).isEqualTo(1);
  }

  @Test
  void theOrderIdFilterIsAnIdAndStaysWithinTheCallersPayments() throws Exception {
    User cid = newUser("cid");
    User dee = newUser("dee");
    UUID cidOrder = UUID.randomUUID();
    UUID deeOrder = UUID.randomUUID();
    UUID cidPayment = insertPayment(cid, cidOrder, 1200, "SUCCEEDED", T0);
    insertPayment(cid, UUID.randomUUID(), 300, "SUCCEEDED", T0);
    UUID deePayment = insertPayment(dee, deeOrder, 800, "SUCCEEDED", T0);

    assertThat(idsOf(list("/api/v1/payments?orderId=" + cidOrder, cid))).containsExactly(cidPayment.toString());
    assertThat(idsOf(list("/api/v1/payments?orderId=" + cidOrder.toString().toUpperCase(), cid))).containsExactly(cidPayment.toString());
    JsonObject someoneElses = list("/api/v1/payments?orderId=" + deeOrder, cid);
    assertThat(someoneElses.getJsonArray("items")).isEmpty();
    assertThat(someoneElses.getLong("total")).isZero();
    assertThat(idsOf(list("/api/v1/payments?orderId=" + deeOrder, admin()))).containsExactly(deePayment.toString());
    for (String bad : List.of("nope", "1-1-1-1-1", "123", UUID.randomUUID() + "x")) {
      assertProblem(get("/api/v1/payments?orderId=" + bad, cid.token()), 400);
    }
  }

  @Test
  void aPaymentIsReadByItsOwnerOrAnAdminOnly() throws Exception {
    User eve = newUser("eve");
    User fay = newUser("fay");
    UUID orderId = UUID.randomUUID();
    UUID payment = insertPayment(eve, orderId, 4999, "SUCCEEDED", T0);

    HttpResponse<Buffer> own = get("/api/v1/payments/" + payment, eve.token());
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", payment.toString()).put("orderId", orderId.toString())
      .put("amountCents", 4999L).put("currency", "EUR").put("status", "SUCCEEDED").put("createdAt", T0.toInstant().toString()));
    assertThat(own.bodyAsString()).doesNotContain("prov_");

    assertProblem(get("/api/v1/payments/" + payment, fay.token()), 404);
    assertThat(get("/api/v1/payments/" + payment, admin().token()).statusCode()).isEqualTo(200);
    assertProblem(get("/api/v1/payments/" + UUID.randomUUID(), eve.token()), 404);
    for (String bad : List.of("not-a-uuid", "1-1-1-1-1", "%20", payment + "0")) {
      assertProblem(get("/api/v1/payments/" + bad, eve.token()), 404);
    }
  }

  @Test
  void anAdminListsEveryonesPayments() throws Exception {
    User gus = newUser("gus");
    User hal = newUser("hal");
    insertPayment(gus, UUID.randomUUID(), 100, "SUCCEEDED", OffsetDateTime.now().plusYears(1));
    insertPayment(hal, UUID.randomUUID(), 200, "SUCCEEDED", OffsetDateTime.now().plusYears(1).plusSeconds(1));
    JsonObject all = list("/api/v1/payments?size=100", admin());
    assertThat(all.getLong("total")).isEqualTo(count("SELECT count(*) FROM payments"));
    assertThat(all.getJsonArray("items").stream().map(item -> ((JsonObject) item).getLong("amountCents")).limit(2)).containsExactly(200L, 100L);
  }

  @Test
  void pagesAreBounded() throws Exception {
    User ida = newUser("ida");
    for (int i = 0; i < 5; i++) {
      insertPayment(ida, UUID.randomUUID(), 100 + i, "SUCCEEDED", T0.plusSeconds(i));
    }
    JsonObject first = list("/api/v1/payments?size=2", ida);
    assertThat(first.getJsonArray("items")).hasSize(2);
    assertThat(first.getLong("total")).isEqualTo(5);
    JsonObject last = list("/api/v1/payments?size=2&page=2", ida);
    assertThat(last.getJsonArray("items")).hasSize(1);
    assertThat(last.getJsonArray("items").getJsonObject(0).getLong("amountCents")).isEqualTo(100);
    assertThat(list("/api/v1/payments?page=100000", ida).getJsonArray("items")).isEmpty();
    assertThat(list("/api/v1/payments?size=100", ida).getJsonArray("items")).hasSize(5);
    for (String bad : List.of("page=-1", "page=100001", "page=x", "size=0", "size=101", "size=-5", "size=2.5", "size=")) {
      HttpResponse<Buffer> response = get("/api/v1/payments?" + bad, ida.token());
      if (bad.equals("size=")) {
        assertThat(response.statusCode()).as("an empty size is the default").isEqualTo(200);
      } else {
        assertProblem(response, 400);
      }
    }
  }

  @Test
  void everyRouteNeedsAValidToken() throws Exception {
    for (String token : new String[] {null, "garbage", "a.b.c"}) {
      assertProblem(get("/api/v1/payments", token), 401);
      assertProblem(get("/api/v1/payments/" + UUID.randomUUID(), token), 401);
    }
    assertProblem(await(client.post(paymentPort, "127.0.0.1", "/api/v1/payments").send()), 405);
  }

  @Test
  void aPaymentIsNeverTakenTwiceForOneOrder() throws Exception {
    User jan = newUser("jan");
    UUID orderId = UUID.randomUUID();
    insertPayment(jan, orderId, 100, "FAILED", T0);
    assertThatThrownBy(() -> insertPayment(jan, orderId, 100, "SUCCEEDED", T0))
      .isInstanceOf(SQLException.class).hasMessageContaining("payments_one_per_order");
    assertThatThrownBy(() -> insertPayment(jan, UUID.randomUUID(), 100, "CHARGED", T0)).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> insertPayment(jan, UUID.randomUUID(), -1, "PENDING", T0)).isInstanceOf(SQLException.class);
  }

  @Test
  void healthAndMetricsAreServed() throws Exception {
    assertThat(get("/health/ready", null).bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(get("/metrics", null).bodyAsString()).contains("vertx_http_server_requests_total");
  }

  @Test
  void theServiceRoleCannotConnectToAnotherServicesDatabase() {
    DatabaseSettings other = TestPostgres.database("order_service");
    String url = "jdbc:postgresql://127.0.0.1:" + other.port() + "/" + other.database();
    assertThatThrownBy(() -> DriverManager.getConnection(url, db.user(), db.password()).close())
      .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
  }

  // ---- helpers ----

  private static UUID insertPayment(User user, UUID orderId, long amountCents, String status, OffsetDateTime createdAt) throws SQLException {
    UUID id = UUID.randomUUID();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement insert = c.prepareStatement("INSERT INTO payments (id, order_id, user_id, amount_cents, currency, status, provider_ref, created_at) "
           + "VALUES (?, ?, ?, ?, 'EUR', ?, ?, ?)")) {
      insert.setObject(1, id);
      insert.setObject(2, orderId);
      insert.setObject(3, UUID.fromString(user.id()));
      insert.setLong(4, amountCents);
      insert.setString(5, status);
      insert.setString(6, status.equals("PENDING") ? null : "prov_" + id);
      insert.setObject(7, createdAt);
      insert.executeUpdate();
    }
    return id;
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static User newUser(String prefix) throws Exception {
    UserServiceHarness.Account account = users.register(prefix, prefix);
    return new User(account.id(), account.token());
  }

  private static User admin() throws Exception {
    return new User(null, users.adminToken());
  }

  private static JsonObject list(String path, User user) throws Exception {
    HttpResponse<Buffer> response = get(path, user.token());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<String> idsOf(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  private static HttpResponse<Buffer> get(String path, String token) throws Exception {
    var request = client.get(paymentPort, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(request.send());
  }
}
