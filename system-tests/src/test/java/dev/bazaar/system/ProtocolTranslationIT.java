package dev.bazaar.system;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP in, event bus out: the gateway translates /api/v1/notifications into event-bus requests
 * that notification-service (another JVM, no public HTTP API of its own) answers over the
 * clustered event bus.
 */
@ExtendWith(BazaarCluster.Closing.class)
class ProtocolTranslationIT {
  static BazaarCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new BazaarCluster().requiring("user-service", "notification-service");
    cluster.start("gateway");
    cluster.start("user-service");
    cluster.start("notification-service");
    cluster.awaitReady(Duration.ofSeconds(120));
  }

  @Test
  void notificationsAreServedOverTheClusteredEventBus() throws Exception {
    BazaarCluster.Customer translated = cluster.register("translate");
    String userId = translated.id();
    String token = translated.token();

    cluster.await("notification-service answering through the gateway", Duration.ofSeconds(60), () -> {
      try {
        return cluster.get("/api/v1/notifications", token).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
    UUID id = UUID.randomUUID();
    DatabaseSettings db = TestPostgres.database("notification_service");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement insert = c.prepareStatement(
           "INSERT INTO notifications (id, user_id, kind, text) VALUES (?, ?, 'ORDER_CONFIRMED', 'Your order is confirmed')")) {
      insert.setObject(1, id);
      insert.setObject(2, UUID.fromString(userId));
      insert.executeUpdate();
    }

    HttpResponse<String> list = cluster.get("/api/v1/notifications", token);
    assertThat(list.statusCode()).as("%s", list.body()).isEqualTo(200);
    assertThat(list.headers().firstValue("traceparent")).isPresent();
    JsonObject page = new JsonObject(list.body());
    assertThat(page.getInteger("total")).isEqualTo(1);
    assertThat(page.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(id.toString());

    HttpResponse<String> read = cluster.post("/api/v1/notifications/" + id + "/read", "", token);
    assertThat(read.statusCode()).as("%s", read.body()).isEqualTo(200);
    assertThat(new JsonObject(read.body()).getBoolean("read")).isTrue();

    HttpResponse<String> anonymous = cluster.get("/api/v1/notifications", null);
    assertThat(anonymous.statusCode()).as("%s", anonymous.body()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).contains("application/problem+json");
    HttpResponse<String> badPage = cluster.get("/api/v1/notifications?size=1000", token);
    assertThat(badPage.statusCode()).as("%s", badPage.body()).isEqualTo(400);
  }
}
