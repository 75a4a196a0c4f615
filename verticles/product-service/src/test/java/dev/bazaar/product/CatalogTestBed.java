package dev.bazaar.product;

import dev.bazaar.inventory.InventoryServiceVerticle;
import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.user.UserServiceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real user-service, inventory-service and product-service in one unclustered Vert.x on real
 * PostgreSQL; product-service finds user-service's JWKS through discovery, as in production.
 */
final class CatalogTestBed implements AutoCloseable {
  static final String ADMIN_EMAIL = "root@example.test";
  static final String ADMIN_PASSWORD = "admin-s3cret-pass";
  static final String PASSWORD = "s3cret-pass";

  final Vertx vertx;
  final WebClient client;
  final DatabaseSettings db = TestPostgres.database("product_service");
  final DatabaseSettings inventoryDb = TestPostgres.database("inventory_service");
  final int userPort = freePort();
  final int productPort = freePort();
  final int inventoryPort = freePort();
  private String inventoryDeployment;

  private CatalogTestBed() {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    client = WebClient.create(vertx);
  }

  static CatalogTestBed start(Path home) throws Exception {
    CatalogTestBed bed = new CatalogTestBed();
    try {
      await(bed.vertx.deployVerticle(new UserServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("http", new JsonObject().put("port", bed.userPort))
        .put("db", dbConfig(TestPostgres.database("user_service")))
        .put("auth", new JsonObject().put("keysDir", home.resolve("keys").toString()).put("bcryptCost", 4))
        .put("admin", new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD)
          .put("passwordFile", home.resolve("admin-password").toString())))));
      bed.deployInventory();
      await(bed.vertx.deployVerticle(new ProductServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("http", new JsonObject().put("port", bed.productPort))
        .put("db", dbConfig(bed.db))
        .put("auth", auth())
        .put("client", client())
        .put("catalog", new JsonObject().put("currencies", new io.vertx.core.json.JsonArray().add("EUR").add("USD").add("GBP"))))));
      return bed;
    } catch (Exception | AssertionError e) {
      bed.close();
      throw e;
    }
  }

  void deployInventory() throws Exception {
    inventoryDeployment = await(vertx.deployVerticle(new InventoryServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("http", new JsonObject().put("port", inventoryPort))
      .put("db", dbConfig(inventoryDb))
      .put("auth", auth())
      .put("client", client()))));
  }

  void undeployInventory() throws Exception {
    await(vertx.undeploy(inventoryDeployment));
    inventoryDeployment = null;
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }

  private static JsonObject auth() {
    return new JsonObject().put("issuer", "bazaar-user-service").put("audience", "bazaar-api").put("jwksService", "user-service");
  }

  // a short breaker reset so that recovery after an outage is seen within a test's deadline
  private static JsonObject client() {
    return new JsonObject().put("timeoutMs", 1000).put("maxAttempts", 3).put("backoffBaseMs", 50).put("backoffCapMs", 200)
      .put("retryBudgetMs", 1500).put("breakerMaxFailures", 3).put("breakerResetMs", 500);
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

  HttpResponse<Buffer> send(HttpMethod method, int port, String path, String token, JsonObject body) throws Exception {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  HttpResponse<Buffer> get(String path, String token) throws Exception {
    return send(HttpMethod.GET, productPort, path, token, null);
  }

  HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    return send(HttpMethod.POST, productPort, path, token, body);
  }

  HttpResponse<Buffer> put(String path, String token, JsonObject body) throws Exception {
    return send(HttpMethod.PUT, productPort, path, token, body);
  }

  HttpResponse<Buffer> sendRaw(HttpMethod method, String path, String token, String contentType, Buffer body) throws Exception {
    HttpRequest<Buffer> request = client.request(method, productPort, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(request.sendBuffer(body));
  }

  /** Creates a product as admin and answers it. */
  JsonObject created(String token, JsonObject product) throws Exception {
    HttpResponse<Buffer> response = post("/api/v1/products", token, product);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  void setStock(String token, String productId, int available) throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.PUT, inventoryPort, "/api/v1/inventory/" + productId, token,
      new JsonObject().put("available", available));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  static JsonObject product(String sku, String name, int priceCents) {
    return new JsonObject().put("sku", sku).put("name", name).put("description", "About " + name)
      .put("priceCents", priceCents).put("currency", "EUR");
  }

  static String sku(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
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

  // ---- the product_service database, read as the service's own role ----

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

  long products() throws SQLException {
    return count("SELECT count(*) FROM products");
  }

  // ---- waiting ----

  interface Check {
    void run() throws Exception;
  }

  /** Runs {@code check} until it passes, failing with its last error once {@code deadline} has passed. */
  static void eventually(Duration deadline, Check check) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (Exception | AssertionError e) {
        if (System.nanoTime() > end) {
          throw e;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int freePort() {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
