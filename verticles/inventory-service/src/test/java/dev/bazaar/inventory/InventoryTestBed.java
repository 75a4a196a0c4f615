package dev.bazaar.inventory;

import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.user.testing.UserServiceHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.freePort;
import static dev.bazaar.user.testing.UserServiceHarness.serviceConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real user-service and inventory-service in one unclustered Vert.x, on real PostgreSQL. */
final class InventoryTestBed implements AutoCloseable {
  final Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
  final DatabaseSettings db = TestPostgres.database("inventory_service");
  final int inventoryPort = freePort();
  private UserServiceHarness users;

  /** A test class run against one bed, started before its first test and closed after its last, with an admin's and a customer's token. */
  abstract static class PerClass {
    @TempDir
    static Path home;
    static InventoryTestBed bed;
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

  static InventoryTestBed start(Path home) throws Exception {
    return start(home, null);
  }

  /** With {@code kafka} (the service's {@code kafka} section), inventory-service takes part in the order saga; without, Kafka is switched off. */
  static InventoryTestBed start(Path home, JsonObject kafka) throws Exception {
    InventoryTestBed bed = new InventoryTestBed();
    try {
      bed.users = UserServiceHarness.deploy(bed.vertx, home);
      await(bed.vertx.deployVerticle(new InventoryServiceVerticle(), new DeploymentOptions().setConfig(serviceConfig(bed.inventoryPort, bed.db)
        .put("client", new JsonObject().put("timeoutMs", 1000).put("maxAttempts", 3))
        .put("kafka", kafka == null ? new JsonObject().put("enabled", false) : kafka))));
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

  // ---- tokens from the real user-service ----

  String adminToken() throws Exception {
    return users.adminToken();
  }

  String customerToken() throws Exception {
    return users.customerToken();
  }

  // ---- HTTP ----

  HttpResponse<Buffer> send(HttpMethod method, String path, String token, String contentType, Buffer body) throws Exception {
    return users.send(method, inventoryPort, path, token, contentType, body);
  }

  HttpResponse<Buffer> putStock(String productId, String token, JsonObject body) throws Exception {
    return send(HttpMethod.PUT, "/api/v1/inventory/" + productId, token, "application/json", body.toBuffer());
  }

  HttpResponse<Buffer> getStock(String productId, String token) throws Exception {
    return send(HttpMethod.GET, "/api/v1/inventory/" + productId, token, null, null);
  }

  static void assertProblem(HttpResponse<Buffer> response, int status) {
    UserServiceHarness.assertProblem(response, status);
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

  // ---- the inventory_service database, read and seeded as the service's own role ----

  long count(String sql, Object... params) throws SQLException {
    return UserServiceHarness.count(db, sql, params);
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
    UserServiceHarness.execute(db, "INSERT INTO stock (product_id, available) VALUES (?, ?)", productId, available);
    return productId;
  }

  void putStockDirect(UUID productId, int available) throws SQLException {
    assertThat(UserServiceHarness.execute(db, "UPDATE stock SET available = ? WHERE product_id = ?", available, productId))
      .isEqualTo(1);
  }
}
