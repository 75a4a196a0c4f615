package dev.bazaar.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live and polyglot, against one real cluster (every service, the saga, a second product-service
 * instance): the Node.js client (clients/node/watch.mjs, the official Vert.x bridge client) sees the
 * notification of an order placed through the gateway within a second of its outcome; then Debian's
 * chromium, driven headless by playwright-core (system-tests/browser/console.mjs), logs in to the
 * operations console, sees every service, sees a killed instance leave the page, and places a demo
 * order that it sees confirmed. Screenshots go to system-tests/target/live/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BazaarCluster.Closing.class)
class LiveIT {
  static final String[] SERVICES = BazaarCluster.domainServices();
  static BazaarCluster cluster;
  static final List<ServiceProcess> products = new ArrayList<>();
  static String admin;
  static String product;
  static Path screenshots;

  @BeforeAll
  static void start() throws Exception {
    cluster = new BazaarCluster().requiring(SERVICES).withSaga(30);
    NodeProcess.installDependencies(cluster.root);
    screenshots = Files.createDirectories(cluster.root.resolve("system-tests/target/live"));
    products.add(cluster.startAll(SERVICES).get("product-service"));
    products.add(cluster.start("product-service"));
    // the first login may time out while the second product-service JVM starts on a busy machine
    String[] token = new String[1];
    cluster.await("the admin logged in", Duration.ofSeconds(90), () -> {
      try {
        token[0] = cluster.adminToken();
        return true;
      } catch (Exception | AssertionError e) {
        return false;
      }
    });
    admin = token[0];
    cluster.await("two product-service instances in discovery", Duration.ofSeconds(120), () -> productInstances() == 2);
    product = cluster.product("Live lamp", 100, admin);
  }

  @Test
  @Order(1)
  void theNodeClientSeesTheNotificationOfAnOrderWithinASecondOfItsOutcome() throws Exception {
    BazaarCluster.Customer node = cluster.register("node");
    String token = node.token();
    Map<String, String> env = Map.of("BAZAAR_URL", "http://127.0.0.1:" + cluster.gatewayPort, "BAZAAR_EMAIL", node.email(),
      "BAZAAR_PASSWORD", node.password(), "BAZAAR_WATCH_COUNT", "1", "BAZAAR_WATCH_SECONDS", "180");
    try (NodeProcess watch = NodeProcess.start(cluster.root.resolve("clients/node"), "watch.mjs", env, cluster.home.resolve("watch.err"))) {
      watch.await("the registration", line -> line.contains("\"registered\""), Duration.ofSeconds(60));
      String orderId = order(token);
      JsonObject notification = new JsonObject(watch.await("the notification", line -> line.contains("\"notification\""), Duration.ofSeconds(90)));
      assertThat(notification.getString("orderId")).isEqualTo(orderId);
      assertThat(notification.getString("kind")).isEqualTo("ORDER_CONFIRMED");
      assertThat(notification.getString("text")).contains(orderId.substring(0, 8));
      JsonObject order = new JsonObject(cluster.get("/api/v1/orders/" + orderId, token).body());
      assertThat(order.getString("status")).isEqualTo("CONFIRMED");
      Instant received = Instant.parse(notification.getString("receivedAt"));
      long afterOutcomeMs = Duration.between(Instant.parse(order.getString("updatedAt")), received).toMillis();
      long afterStoredMs = Duration.between(Instant.parse(notification.getString("createdAt")), received).toMillis();
      System.out.println("node client: notification received " + afterOutcomeMs + " ms after the order's outcome, "
        + afterStoredMs + " ms after it was stored");
      assertThat(afterOutcomeMs).as("from the order's outcome to the Node client").isLessThan(1000);
      assertThat(watch.exit(Duration.ofSeconds(30))).isZero();
    }
  }

  @Test
  @Order(2)
  void theConsoleInChromiumListsServicesSeesAKilledInstanceLeaveAndConfirmsADemoOrder() throws Exception {
    Map<String, String> env = Map.of("BAZAAR_URL", "http://127.0.0.1:" + cluster.gatewayPort,
      "BAZAAR_EMAIL", BazaarCluster.ADMIN_EMAIL, "BAZAAR_PASSWORD", BazaarCluster.ADMIN_PASSWORD,
      "EXPECT_SERVICES", String.join(",", SERVICES), "KILL_SERVICE", "product-service", "PRODUCT_ID", product,
      "SCREENSHOTS", screenshots.toString());
    try (NodeProcess browser = NodeProcess.start(cluster.root.resolve("system-tests/browser"), "console.mjs", env,
      cluster.home.resolve("console.err"))) {
      browser.await("every service listed", line -> line.equals("STEP every service listed"), Duration.ofSeconds(120));
      String[] pids = browser.await("two product-service instances", line -> line.startsWith("PIDS "), Duration.ofSeconds(120)).split(" ");
      ServiceProcess victim = products.get(1);
      assertThat(pids).contains(Long.toString(victim.pid()));
      victim.stop();
      browser.tell("KILLED " + victim.pid());
      browser.await("the instance leaving the page", line -> line.startsWith("STEP instance"), Duration.ofSeconds(60));
      browser.await("the demo order confirmed", line -> line.startsWith("STEP demo order confirmed"), Duration.ofSeconds(150));
      browser.await("the end", "DONE"::equals, Duration.ofSeconds(30));
      assertThat(browser.exit(Duration.ofSeconds(30))).isZero();
    }
    assertThat(screenshots.resolve("console.png")).isNotEmptyFile();
    assertThat(screenshots.resolve("console-order.png")).isNotEmptyFile();
  }

  static String order(String token) throws Exception {
    HttpResponse<String> placed = cluster.post("/api/v1/orders", new JsonObject()
      .put("items", new JsonArray().add(new JsonObject().put("productId", product).put("quantity", 1)))
      .put("payment", new JsonObject().put("token", "tok_ok")).encode(), token);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
    return new JsonObject(placed.body()).getString("id");
  }

  static int productInstances() {
    try {
      JsonObject view = new JsonObject(cluster.get("/api/v1/admin/services", admin).body());
      return view.getJsonArray("services").stream().map(s -> (JsonObject) s).filter(s -> "product-service".equals(s.getString("name")))
        .mapToInt(s -> s.getJsonArray("instances").size()).sum();
    } catch (Exception e) {
      return -1;
    }
  }
}
