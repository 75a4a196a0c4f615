package dev.bazaar.product;

import dev.bazaar.inventory.InventoryServiceVerticle;
import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.user.testing.UserServiceHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.freePort;
import static dev.bazaar.user.testing.UserServiceHarness.serviceConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real user-service, inventory-service and product-service in one unclustered Vert.x on real
 * PostgreSQL; product-service finds user-service's JWKS through discovery, as in production.
 */
final class CatalogTestBed implements AutoCloseable {
  final Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
  final DatabaseSettings db = TestPostgres.database("product_service");
  final DatabaseSettings inventoryDb = TestPostgres.database("inventory_service");
  final int productPort = freePort();
  final int inventoryPort = freePort();
  private UserServiceHarness users;
  private String inventoryDeployment;

  /** A test class run against one bed, started before its first test and closed after its last, with an admin's and a customer's token. */
  abstract static class PerClass {
    @TempDir
    static Path home;
    static CatalogTestBed bed;
    static String admin;
    static String customer;

    @BeforeAll
    static void startBed() throws Exception {
      bed = start(home);
      admin = bed.adminToken();
      customer = bed.customerToken();
    }

    @AfterAll
    static void closeBed() throws Exception {
      if (bed != null) {
        bed.close();
        bed = null;
      }
    }
  }

  static CatalogTestBed start(Path home) throws Exception {
    CatalogTestBed bed = new CatalogTestBed();
    try {
      bed.users = UserServiceHarness.deploy(bed.vertx, home);
      bed.deployInventory();
      await(bed.vertx.deployVerticle(new ProductServiceVerticle(), new DeploymentOptions().setConfig(serviceConfig(bed.productPort, bed.db)
        .put("client", client())
        .put("catalog", new JsonObject().put("currencies", new io.vertx.core.json.JsonArray().add("EUR").add("USD").add("GBP"))))));
      return bed;
    } catch (Exception | AssertionError e) {
      bed.close();
      throw e;
    }
  }

  void deployInventory() throws Exception {
    inventoryDeployment = await(vertx.deployVerticle(new InventoryServiceVerticle(), new DeploymentOptions().setConfig(serviceConfig(inventoryPort, inventoryDb)
      .put("client", client())
      // stock only: no part in the saga
      .put("kafka", new JsonObject().put("enabled", false)))));
  }

  void undeployInventory() throws Exception {
    await(vertx.undeploy(inventoryDeployment));
    inventoryDeployment = null;
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }

  // a short breaker reset so that recovery after an outage is seen within a test's deadline
  private static JsonObject client() {
    return new JsonObject().put("timeoutMs", 1000).put("maxAttempts", 3).put("backoffBaseMs", 50).put("backoffCapMs", 200)
      .put("retryBudgetMs", 1500).put("breakerMaxFailures", 3).put("breakerResetMs", 500);
  }

  // ---- tokens from the real user-service ----

  String adminToken() throws Exception {
    return users.adminToken();
  }

  String customerToken() throws Exception {
    return users.customerToken();
  }

  // ---- HTTP ----

  HttpResponse<Buffer> send(HttpMethod method, int port, String path, String token, JsonObject body) throws Exception {
    HttpRequest<Buffer> request = users.request(method, port, path, token);
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
    return users.send(method, productPort, path, token, contentType, body);
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
    UserServiceHarness.assertProblem(response, status);
  }

  // ---- the product_service database, read as the service's own role ----

  long count(String sql, Object... params) throws SQLException {
    return UserServiceHarness.count(db, sql, params);
  }

  long products() throws SQLException {
    return count("SELECT count(*) FROM products");
  }
}
