package dev.bazaar.inventory;

import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.user.UserServiceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real user-service and inventory-service in one unclustered Vert.x, on real PostgreSQL. */
final class InventoryTestBed implements AutoCloseable {
  static final String ADMIN_EMAIL = "root@example.test";
  static final String ADMIN_PASSWORD = "admin-s3cret-pass";
  static final String PASSWORD = "s3cret-pass";

  final Vertx vertx;
  final WebClient client;
  final DatabaseSettings db = TestPostgres.database("inventory_service");
  final int userPort = freePort();
  final int inventoryPort = freePort();

  private InventoryTestBed() {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    client = WebClient.create(vertx);
  }

  static InventoryTestBed start(Path home) throws Exception {
    return start(home, null);
  }

  /** With {@code kafka} (the service's {@code kafka} section), inventory-service takes part in the order saga. */
  static InventoryTestBed start(Path home, JsonObject kafka) throws Exception {
    InventoryTestBed bed = new InventoryTestBed();
    try {
      await(bed.vertx.deployVerticle(new UserServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("http", new JsonObject().put("port", bed.userPort))
        .put("db", dbConfig(TestPostgres.database("user_service")))
        .put("auth", new JsonObject().put("keysDir", home.resolve("keys").toString()).put("bcryptCost", 4))
        .put("admin", new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD)
          .put("passwordFile", home.resolve("admin-password").toString())))));
      await(bed.vertx.deployVerticle(new InventoryServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("http", new JsonObject().put("port", bed.inventoryPort))
        .put("db", dbConfig(bed.db))
        .put("auth", new JsonObject().put("issuer", "bazaar-user-service").put("audience", "bazaar-api").put("jwksService", "user-service"))
        .put("client", new JsonObject().put("timeoutMs", 1000).put("maxAttempts", 3))
        .put("kafka", kafka))));
      return bed;
    } catch (Exception | AssertionError e) {
      bed.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }

  private static JsonObject dbConfig(DatabaseSettings db) {
    return new JsonObject().put("host", db.host()).put("port", db.port()).put("database", db.database())
      .put("user", db.user()).put("password", db.password()).put("poolSize", db.poolSize());
  }

  // ---- tokens from the real user-service ----

  String adminToken() throws Exception {
    return login(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  String customerToken() throws Exception {
    String email = "shopper-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    HttpResponse<Buffer> created = await(client.post(userPort, "127.0.0.1", "/api/v1/auth/register")
      .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD).put("name", "Shopper")));
    assertThat(created.statusCode()).isEqualTo(201);
    return login(email, PASSWORD);
  }

  private String login(String email, String password) throws Exception {
    HttpResponse<Buffer> response = await(client.post(userPort, "127.0.0.1", "/api/v1/auth/login")
      .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  // ---- HTTP ----

  HttpResponse<Buffer> send(HttpMethod method, String path, String token, String contentType, Buffer body) throws Exception {
    HttpRequest<Buffer> request = client.request(method, inventoryPort, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(body == null ? request.send() : request.sendBuffer(body));
  }

  HttpResponse<Buffer> putStock(String productId, String token, JsonObject body) throws Exception {
    return send(HttpMethod.PUT, "/api/v1/inventory/" + productId, token, "application/json", body.toBuffer());
  }

  HttpResponse<Buffer> getStock(String productId, String token) throws Exception {
    return send(HttpMethod.GET, "/api/v1/inventory/" + productId, token, null, null);
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

  // ---- event bus ----

  Future<JsonObject> requestAsync(String address, Object body) {
    return vertx.eventBus().<JsonObject>request(address, body).map(message -> message.body());
  }

  JsonObject request(String address, Object body) throws Exception {
    return await(requestAsync(address, body));
  }

  /** The request is answered with {@code message.fail(status, ...)}. */
  void assertRefused(String address, Object body, int status) {
    assertThatThrownBy(() -> request(address, body)).as("%s %s", address, body)
      .isInstanceOf(ExecutionException.class)
      .cause().isInstanceOfSatisfying(ReplyException.class, reply -> {
        assertThat(reply.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        assertThat(reply.failureCode()).isEqualTo(status);
      });
  }

  static JsonObject order(UUID orderId, Object... productAndQuantity) {
    JsonArray lines = new JsonArray();
    for (int i = 0; i < productAndQuantity.length; i += 2) {
      lines.add(new JsonObject().put("productId", productAndQuantity[i].toString()).put("quantity", productAndQuantity[i + 1]));
    }
    return new JsonObject().put("orderId", orderId.toString()).put("lines", lines);
  }

  // ---- the inventory_service database, read and seeded as the service's own role ----

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

  /** Units available for {@code productId}; -1 when it has no stock row. */
  long available(UUID productId) throws SQLException {
    return count("SELECT coalesce((SELECT available FROM stock WHERE product_id = ?), -1)", productId);
  }

  /** A product with {@code available} units in stock. */
  UUID stocked(int available) throws SQLException {
    return stocked(UUID.randomUUID(), available);
  }

  UUID stocked(UUID productId, int available) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement statement = c.prepareStatement("INSERT INTO stock (product_id, available) VALUES (?, ?)")) {
      statement.setObject(1, productId);
      statement.setInt(2, available);
      statement.executeUpdate();
    }
    return productId;
  }

  void putStockDirect(UUID productId, int available) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement statement = c.prepareStatement("UPDATE stock SET available = ? WHERE product_id = ?")) {
      statement.setInt(1, available);
      statement.setObject(2, productId);
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int freePort() {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
