package dev.bazaar.order;

import dev.bazaar.order.OrderTestBed.User;
import dev.bazaar.order.domain.OrderStatus;
import dev.bazaar.order.store.OrderStore;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.order.OrderTestBed.CABLE;
import static dev.bazaar.order.OrderTestBed.KEYBOARD;
import static dev.bazaar.order.OrderTestBed.MOUSE;
import static dev.bazaar.order.OrderTestBed.assertProblem;
import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.order.OrderTestBed.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading, listing and cancelling orders; who may see what; the service's database role. */
class OrderServiceIT extends OrderTestBed.PerClass {
  @Test
  void theOwnerReadsTheWholeOrder() throws Exception {
    User ann = bed.newUser("ann");
    String id = bed.placed(ann, order("tok_ok", MOUSE, 3, KEYBOARD, 1));
    HttpResponse<Buffer> response = bed.get("/api/v1/orders/" + id, ann.token());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject order = response.bodyAsJsonObject();
    assertThat(order.fieldNames()).containsExactlyInAnyOrder("id", "userId", "status", "items", "totalCents", "currency", "createdAt", "updatedAt");
    assertThat(order.getString("id")).isEqualTo(id);
    assertThat(order.getString("userId")).isEqualTo(ann.id());
    assertThat(order.getString("status")).isEqualTo("PENDING");
    assertThat(order.getJsonArray("items")).containsExactly(
      new JsonObject().put("productId", MOUSE.toString()).put("quantity", 3).put("unitPriceCents", 1999L),
      new JsonObject().put("productId", KEYBOARD.toString()).put("quantity", 1).put("unitPriceCents", 4999L));
    assertThat(order.getLong("totalCents")).isEqualTo(3 * 1999L + 4999L);
    assertThat(order.getString("currency")).isEqualTo("EUR");
    assertThat(Instant.parse(order.getString("createdAt"))).isEqualTo(Instant.parse(order.getString("updatedAt")));
    assertThat(response.bodyAsString()).doesNotContain("tok_ok");
  }

  @Test
  void anotherUsersOrderIsNotFoundButAnAdminSeesIt() throws Exception {
    User ann = bed.newUser("ann");
    User bob = bed.newUser("bob");
    String id = bed.placed(ann, order("tok_ok", CABLE, 1));
    assertProblem(bed.get("/api/v1/orders/" + id, bob.token()), 404);
    assertProblem(bed.post("/api/v1/orders/" + id + "/cancel", bob.token(), new JsonObject()), 404);
    assertThat(statusOf(id)).isEqualTo("PENDING");
    assertProblem(bed.get("/api/v1/orders/" + UUID.randomUUID(), ann.token()), 404);
    assertProblem(bed.get("/api/v1/orders/not-a-uuid", ann.token()), 404);
    assertProblem(bed.get("/api/v1/orders/1-1-1-1-1", ann.token()), 404);
    assertProblem(bed.post("/api/v1/orders/not-a-uuid/cancel", ann.token(), new JsonObject()), 404);

    HttpResponse<Buffer> asAdmin = bed.get("/api/v1/orders/" + id, bed.admin().token());
    assertThat(asAdmin.statusCode()).isEqualTo(200);
    assertThat(asAdmin.bodyAsJsonObject().getString("userId")).isEqualTo(ann.id());
  }

  @Test
  void everyRouteNeedsAValidToken() throws Exception {
    String id = UUID.randomUUID().toString();
    for (String token : new String[] {null, "garbage", "a.b.c"}) {
      assertProblem(bed.get("/api/v1/orders", token), 401);
      assertProblem(bed.get("/api/v1/orders/" + id, token), 401);
      assertProblem(bed.post("/api/v1/orders/" + id + "/cancel", token, new JsonObject()), 401);
      assertProblem(bed.post("/api/v1/orders", token, order("tok_ok", KEYBOARD, 1)), 401);
    }
    assertProblem(await(bed.request(HttpMethod.DELETE, "/api/v1/orders/" + id, null).send()), 405);
  }

  @Test
  void cancellingTwiceIsAConflict() throws Exception {
    User cid = bed.newUser("cid");
    String id = bed.placed(cid, order("tok_ok", KEYBOARD, 1));
    HttpResponse<Buffer> cancelled = bed.post("/api/v1/orders/" + id + "/cancel", cid.token(), new JsonObject());
    assertThat(cancelled.statusCode()).isEqualTo(202);
    JsonObject order = cancelled.bodyAsJsonObject();
    assertThat(order.getString("id")).isEqualTo(id);
    assertThat(order.getString("status")).isEqualTo("CANCELLED");
    assertThat(order.getString("reason")).isEqualTo("cancelled_by_user");
    assertThat(Instant.parse(order.getString("updatedAt"))).isAfter(Instant.parse(order.getString("createdAt")));

    HttpResponse<Buffer> again = bed.post("/api/v1/orders/" + id + "/cancel", cid.token(), new JsonObject());
    assertProblem(again, 409);
    assertThat(again.bodyAsJsonObject().getString("detail")).contains("CANCELLED");
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND status = 'CANCELLED' AND version = 1", UUID.fromString(id))).isEqualTo(1);
    assertThat(bed.get("/api/v1/orders/" + id, cid.token()).bodyAsJsonObject().getString("reason")).isEqualTo("cancelled_by_user");
  }

  @Test
  void concurrentCancelsMoveTheOrderOnce() throws Exception {
    User dee = bed.newUser("dee");
    String id = bed.placed(dee, order("tok_ok", KEYBOARD, 1));
    List<Future<HttpResponse<Buffer>>> cancels = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      cancels.add(bed.request(HttpMethod.POST, "/api/v1/orders/" + id + "/cancel", dee.token()).send());
    }
    await(Future.all(cancels));
    List<Integer> statuses = cancels.stream().map(f -> f.result().statusCode()).sorted().toList();
    assertThat(statuses).containsExactly(202, 409, 409, 409, 409, 409, 409, 409);
    cancels.stream().map(Future::result).filter(r -> r.statusCode() == 409).forEach(r -> assertProblem(r, 409));
    assertThat(bed.count("SELECT version FROM orders WHERE id = ?", UUID.fromString(id))).isEqualTo(1);
  }

  @Test
  void aConfirmedOrderCanStillBeCancelledAndAnAdminMayCancelAnyone() throws Exception {
    User eve = bed.newUser("eve");
    String id = bed.placed(eve, order("tok_ok", MOUSE, 1));
    // what the saga will do on PaymentSucceeded
    assertThat(bed.execute("UPDATE orders SET status = 'CONFIRMED' WHERE id = ? AND status = 'PENDING'", UUID.fromString(id))).isEqualTo(1);
    HttpResponse<Buffer> cancelled = bed.post("/api/v1/orders/" + id + "/cancel", bed.admin().token(), new JsonObject());
    assertThat(cancelled.statusCode()).isEqualTo(202);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("CANCELLED");
    assertProblem(bed.post("/api/v1/orders/" + id + "/cancel", eve.token(), new JsonObject()), 409);
  }

  @Test
  void theGuardedUpdateNeverMovesAnOrderBackwardsOrTwice() throws Exception {
    User ivy = bed.newUser("ivy");
    UUID pending = UUID.fromString(bed.placed(ivy, order("tok_ok", CABLE, 1)));
    UUID cancelled = UUID.fromString(bed.placed(ivy, order("tok_ok", CABLE, 2)));
    Pool pool = Database.pool(bed.vertx, bed.db);
    try {
      OrderStore store = new OrderStore(pool, java.time.Duration.ofMinutes(5));
      assertThat(await(store.transition(cancelled, OrderStatus.CANCELLED, "cancelled_by_user"))).isTrue();
      // a late PaymentSucceeded for a cancelled order, and a duplicated one for a confirmed order
      assertThat(await(store.transition(cancelled, OrderStatus.CONFIRMED, null))).isFalse();
      assertThat(await(store.transition(pending, OrderStatus.CONFIRMED, null))).isTrue();
      assertThat(await(store.transition(pending, OrderStatus.CONFIRMED, null))).isFalse();
      assertThat(await(store.transition(pending, OrderStatus.PENDING, null))).isFalse();
      assertThat(await(store.transition(UUID.randomUUID(), OrderStatus.CANCELLED, "cancelled_by_user"))).isFalse();
    } finally {
      await(pool.close());
    }
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND status = 'CANCELLED' AND version = 1", cancelled)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND status = 'CONFIRMED' AND version = 1 AND reason IS NULL", pending)).isEqualTo(1);
  }

  @Test
  void theDatabaseRefusesUnknownStatusesAndCancellationsWithoutAReason() {
    assertThatThrownBy(() -> bed.execute("UPDATE orders SET status = 'SHIPPED' WHERE true")).hasCauseInstanceOf(SQLException.class);
    assertThatThrownBy(() -> bed.execute("UPDATE orders SET reason = NULL WHERE status = 'CANCELLED'")).hasCauseInstanceOf(SQLException.class);
  }

  @Test
  void aUserListsTheirOwnOrdersNewestFirst() throws Exception {
    User fay = bed.newUser("fay");
    User other = bed.newUser("other");
    bed.placed(other, order("tok_ok", KEYBOARD, 1));
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ids.add(bed.placed(fay, order("tok_ok", CABLE, i)));
    }
    assertThat(bed.post("/api/v1/orders/" + ids.get(1) + "/cancel", fay.token(), new JsonObject()).statusCode()).isEqualTo(202);

    JsonObject all = list("/api/v1/orders", fay);
    assertThat(all.fieldNames()).containsExactlyInAnyOrder("items", "page", "size", "total");
    assertThat(all.getLong("total")).isEqualTo(3);
    assertThat(all.getInteger("page")).isZero();
    assertThat(all.getInteger("size")).isEqualTo(20);
    assertThat(idsOf(all)).containsExactly(ids.get(2), ids.get(1), ids.get(0));
    assertThat(all.getJsonArray("items").getJsonObject(0).getJsonArray("items")).hasSize(1);

    assertThat(idsOf(list("/api/v1/orders?size=2", fay))).containsExactly(ids.get(2), ids.get(1));
    JsonObject second = list("/api/v1/orders?size=2&page=1", fay);
    assertThat(idsOf(second)).containsExactly(ids.get(0));
    assertThat(second.getLong("total")).isEqualTo(3);
    JsonObject beyond = list("/api/v1/orders?page=7", fay);
    assertThat(beyond.getJsonArray("items")).isEmpty();
    assertThat(beyond.getLong("total")).isEqualTo(3);

    assertThat(idsOf(list("/api/v1/orders?status=CANCELLED", fay))).containsExactly(ids.get(1));
    assertThat(idsOf(list("/api/v1/orders?status=PENDING", fay))).containsExactly(ids.get(2), ids.get(0));
    assertThat(list("/api/v1/orders?status=CONFIRMED", fay).getLong("total")).isZero();
    assertThat(idsOf(list("/api/v1/orders?userId=" + fay.id(), fay))).hasSize(3);

    for (String bad : List.of("status=SHIPPED", "status=pending", "page=-1", "page=x", "size=0", "size=101", "size=1.5", "userId=nope")) {
      assertProblem(bed.get("/api/v1/orders?" + bad, fay.token()), 400);
    }
  }

  @Test
  void onlyAnAdminListsSomeoneElsesOrders() throws Exception {
    User gus = bed.newUser("gus");
    User hal = bed.newUser("hal");
    String gusOrder = bed.placed(gus, order("tok_ok", MOUSE, 1));
    String halOrder = bed.placed(hal, order("tok_ok", MOUSE, 2));

    assertProblem(bed.get("/api/v1/orders?userId=" + gus.id(), hal.token()), 403);
    assertThat(idsOf(list("/api/v1/orders", hal))).containsExactly(halOrder);

    User admin = bed.admin();
    assertThat(idsOf(list("/api/v1/orders?userId=" + gus.id(), admin))).containsExactly(gusOrder);
    assertThat(list("/api/v1/orders?userId=" + UUID.randomUUID(), admin).getLong("total")).isZero();
    JsonObject everyone = list("/api/v1/orders?size=100", admin);
    assertThat(everyone.getLong("total")).isEqualTo(bed.count("SELECT count(*) FROM orders"));
    assertThat(idsOf(everyone)).startsWith(halOrder, gusOrder);
  }

  @Test
  void healthAndMetricsAreServed() throws Exception {
    JsonObject ready = bed.get("/health/ready", null).bodyAsJsonObject();
    assertThat(ready.getString("status")).isEqualTo("UP");
    assertThat(ready.getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("UP");
    assertThat(bed.get("/metrics", null).bodyAsString()).contains("vertx_http_server_requests_total");
  }

  @Test
  void theServiceRoleCannotConnectToAnotherServicesDatabase() {
    DatabaseSettings users = TestPostgres.database("user_service");
    String url = "jdbc:postgresql://127.0.0.1:" + users.port() + "/" + users.database();
    assertThatThrownBy(() -> DriverManager.getConnection(url, bed.db.user(), bed.db.password()).close())
      .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
  }

  private static JsonObject list(String path, User user) throws Exception {
    HttpResponse<Buffer> response = bed.get(path, user.token());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<String> idsOf(JsonObject page) {
    JsonArray items = page.getJsonArray("items");
    return items.stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  private static String statusOf(String id) throws Exception {
    return bed.get("/api/v1/orders/" + id, bed.admin().token()).bodyAsJsonObject().getString("status");
  }
}
