package dev.bazaar.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every domain service as its own JVM behind the gateway ({@link DomainServicesMonolithIT}: all in one): catalog and stock, an order priced by
 * product-service over the event bus, the user-orders aggregation with every part up and with
 * product-service, order-service and inventory-service stopped in turn (partial answers, never a 5xx).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BazaarCluster.Closing.class)
class DomainServicesIT {
  static final String[] SERVICES = BazaarCluster.domainServices();
  static BazaarCluster cluster;
  static final Map<String, ServiceProcess> running = new HashMap<>();
  static String admin;
  static String customer;
  static String customerId;
  static String productId;

  /** One JVM per service, or the monolith for a subclass that asks for it ({@link BazaarCluster.Monolith}). */
  @BeforeAll
  static void start(TestInfo test) throws Exception {
    running.clear();
    cluster = new BazaarCluster(BazaarCluster.Mode.of(test)).requiring(SERVICES);
    running.putAll(cluster.startAll(SERVICES));
    admin = cluster.adminToken();
    BazaarCluster.Customer shopper = cluster.register("shopper");
    customerId = shopper.id();
    customer = shopper.token();
  }

  @Test
  @Order(1)
  void anAdminStocksTheCatalogAndAnyoneReadsIt() throws Exception {
    HttpResponse<String> forbidden = cluster.post("/api/v1/products", product("SKU-FORBIDDEN").encode(), customer);
    assertThat(forbidden.statusCode()).as("%s", forbidden.body()).isEqualTo(403);
    HttpResponse<String> created = cluster.post("/api/v1/products", product("SKU-" + System.nanoTime()).encode(), admin);
    assertThat(created.statusCode()).as("%s", created.body()).isEqualTo(201);
    productId = new JsonObject(created.body()).getString("id");
    HttpResponse<String> stocked = cluster.put("/api/v1/inventory/" + productId, "{\"available\":5}", admin);
    assertThat(stocked.statusCode()).as("%s", stocked.body()).isEqualTo(200);

    HttpResponse<String> read = cluster.get("/api/v1/products/" + productId, null);
    assertThat(read.statusCode()).as("%s", read.body()).isEqualTo(200);
    assertThat(new JsonObject(read.body()).getInteger("available")).isEqualTo(5);
    HttpResponse<String> search = cluster.get("/api/v1/products?q=lamp&size=10", null);
    assertThat(new JsonObject(search.body()).getJsonArray("items").size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(2)
  void anOrderIsPricedByTheCatalogAndAggregatedWithTheUser() throws Exception {
    HttpResponse<String> placed = cluster.post("/api/v1/orders", new JsonObject()
      .put("items", new JsonArray().add(new JsonObject().put("productId", productId).put("quantity", 2)))
      .put("payment", new JsonObject().put("token", "tok_ok")).encode(), customer);
    assertThat(placed.statusCode()).as("%s", placed.body()).isEqualTo(202);
    String orderId = new JsonObject(placed.body()).getString("id");
    JsonObject order = new JsonObject(cluster.get("/api/v1/orders/" + orderId, customer).body());
    assertThat(order.getLong("totalCents")).isEqualTo(2 * 1999);

    JsonObject aggregate = aggregate();
    assertThat(aggregate.getJsonArray("degraded")).isEmpty();
    assertThat(aggregate.getJsonObject("user").getString("id")).isEqualTo(customerId);
    JsonObject line = aggregate.getJsonArray("orders").getJsonObject(0).getJsonArray("items").getJsonObject(0);
    assertThat(line.getString("productName")).isEqualTo("Desk lamp");
  }

  @Test
  @Order(3)
  void withProductServiceDownTheAggregationLacksOnlyNames() throws Exception {
    stopped("product-service", () -> {
      JsonObject aggregate = aggregate();
      assertThat(aggregate.getJsonArray("degraded").getList()).containsExactly("products");
      JsonObject line = aggregate.getJsonArray("orders").getJsonObject(0).getJsonArray("items").getJsonObject(0);
      assertThat(line.containsKey("productName")).isFalse();
      assertThat(aggregate.getJsonObject("user")).isNotNull();
    });
  }

  @Test
  @Order(4)
  void withOrderServiceDownTheAggregationLacksOrders() throws Exception {
    stopped("order-service", () -> {
      JsonObject aggregate = aggregate();
      assertThat(aggregate.getJsonArray("degraded").getList()).containsExactly("orders");
      assertThat(aggregate.getJsonObject("user").getString("id")).isEqualTo(customerId);
    });
  }

  @Test
  @Order(5)
  void withInventoryDownAProductComesWithoutAvailability() throws Exception {
    stopped("inventory-service", () -> {
      HttpResponse<String> read = cluster.get("/api/v1/products/" + productId, null);
      assertThat(read.statusCode()).as("%s", read.body()).isEqualTo(200);
      JsonObject product = new JsonObject(read.body());
      assertThat(product.containsKey("available")).isFalse();
      assertThat(product.getJsonArray("degraded").getList()).containsExactly("inventory");
    });
  }

  interface Check {
    void run() throws Exception;
  }

  /**
   * Stops {@code service} (SIGTERM), runs the check once discovery no longer lists it, then starts
   * it again. Only where the service is a JVM of its own: in the monolith it cannot stop alone.
   */
  static void stopped(String service, Check check) throws Exception {
    Assumptions.assumeTrue(cluster.mode == BazaarCluster.Mode.MICROSERVICES, "in the monolith no service stops alone");
    running.remove(service).stop();
    check.run();
    running.put(service, cluster.start(service));
    cluster.awaitReady(Duration.ofSeconds(120));
  }

  static JsonObject aggregate() throws Exception {
    HttpResponse<String> response = cluster.get("/api/v1/users/" + customerId + "/orders", customer);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static JsonObject product(String sku) {
    return new JsonObject().put("sku", sku).put("name", "Desk lamp").put("description", "A lamp for a desk")
      .put("priceCents", 1999).put("currency", "EUR");
  }
}
