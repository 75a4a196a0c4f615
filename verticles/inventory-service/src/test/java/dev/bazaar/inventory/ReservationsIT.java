package dev.bazaar.inventory;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.inventory.InventoryTestBed.await;
import static dev.bazaar.inventory.InventoryTestBed.order;
import static org.assertj.core.api.Assertions.assertThat;

/** Reservations per order over the event bus, against real PostgreSQL and real concurrency. */
class ReservationsIT {
  static final String RESERVE = "inventory-service.reservations.reserve";
  static final String RELEASE = "inventory-service.reservations.release";
  static final String COMMIT = "inventory-service.reservations.commit";

  @TempDir
  static Path home;
  static InventoryTestBed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = InventoryTestBed.start(home);
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void fiftyConcurrentOrdersShareTenUnitsExactly() throws Exception {
    UUID product = bed.stocked(10);
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(bed.requestAsync(RESERVE, order(UUID.randomUUID(), product, 1)));
    }
    await(Future.all(replies));
    List<String> statuses = replies.stream().map(reply -> reply.result().getString("status")).toList();
    assertThat(Collections.frequency(statuses, "RESERVED")).isEqualTo(10);
    assertThat(Collections.frequency(statuses, "REJECTED")).isEqualTo(40);
    replies.stream().map(Future::result).filter(reply -> "REJECTED".equals(reply.getString("status")))
      .forEach(reply -> assertThat(reply.getString("shortProductId")).isEqualTo(product.toString()));
    assertThat(bed.available(product)).isZero();
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE product_id = ? AND status = 'RESERVED'", product)).isEqualTo(10);
    assertThat(bed.count("SELECT coalesce(sum(quantity), 0) FROM reservations WHERE product_id = ?", product)).isEqualTo(10);
    assertThat(bed.count("SELECT count(*) FROM stock WHERE available < 0")).isZero();
  }

  @Test
  void anOrderWithOneShortLineTakesNothing() throws Exception {
    // the plenty line comes first in stock order, so it is taken before the short one is found
    UUID plenty = bed.stocked(withFirstDigit('0'), 5);
    UUID scarce = bed.stocked(withFirstDigit('f'), 1);
    UUID orderId = UUID.randomUUID();
    JsonObject reply = bed.request(RESERVE, order(orderId, plenty, 2, scarce, 3));
    assertThat(reply).isEqualTo(new JsonObject().put("orderId", orderId.toString()).put("status", "REJECTED")
      .put("reason", "INSUFFICIENT_STOCK").put("shortProductId", scarce.toString()));
    assertThat(bed.available(plenty)).isEqualTo(5);
    assertThat(bed.available(scarce)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ?", orderId)).isZero();

    // a product inventory has never stocked is short too
    UUID unknown = UUID.randomUUID();
    assertThat(bed.request(RESERVE, order(UUID.randomUUID(), plenty, 1, unknown, 1)).getString("shortProductId"))
      .isEqualTo(unknown.toString());
    assertThat(bed.available(plenty)).isEqualTo(5);
  }

  @Test
  void reservingAgainAnswersTheFirstOutcomeAndChangesNothing() throws Exception {
    UUID a = bed.stocked(5);
    UUID b = bed.stocked(5);
    UUID orderId = UUID.randomUUID();
    JsonObject first = bed.request(RESERVE, order(orderId, a, 2, b, 1, a, 1));
    assertThat(first).isEqualTo(new JsonObject().put("orderId", orderId.toString()).put("status", "RESERVED"));
    assertThat(bed.available(a)).isEqualTo(2);
    assertThat(bed.available(b)).isEqualTo(4);
    assertThat(bed.count("SELECT quantity FROM reservations WHERE order_id = ? AND product_id = ?", orderId, a)).isEqualTo(3);

    assertThat(bed.request(RESERVE, order(orderId, a, 2, b, 1, a, 1))).isEqualTo(first);
    assertThat(bed.request(RESERVE, order(orderId, b, 4))).as("a repeat with other lines").isEqualTo(first);
    List<Future<JsonObject>> repeats = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      repeats.add(bed.requestAsync(RESERVE, order(orderId, a, 1)));
    }
    await(Future.all(repeats));
    repeats.forEach(repeat -> assertThat(repeat.result()).isEqualTo(first));
    assertThat(bed.available(a)).isEqualTo(2);
    assertThat(bed.available(b)).isEqualTo(4);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ?", orderId)).isEqualTo(2);

    // a rejection is final too, even once stock has arrived
    UUID rejected = UUID.randomUUID();
    JsonObject no = bed.request(RESERVE, order(rejected, b, 100));
    assertThat(no.getString("status")).isEqualTo("REJECTED");
    bed.putStockDirect(b, 1000);
    assertThat(bed.request(RESERVE, order(rejected, b, 100))).isEqualTo(no);
    assertThat(bed.available(b)).isEqualTo(1000);
  }

  @Test
  void concurrentDuplicatesOfANewOrderReserveOnce() throws Exception {
    UUID product = bed.stocked(100);
    UUID orderId = UUID.randomUUID();
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(bed.requestAsync(RESERVE, order(orderId, product, 7)));
    }
    await(Future.all(replies));
    replies.forEach(reply -> assertThat(reply.result().getString("status")).isEqualTo("RESERVED"));
    assertThat(bed.available(product)).isEqualTo(93);
  }

  @Test
  void releaseReturnsStockExactlyOnce() throws Exception {
    UUID a = bed.stocked(10);
    UUID b = bed.stocked(10);
    UUID orderId = UUID.randomUUID();
    bed.request(RESERVE, order(orderId, a, 4, b, 6));
    assertThat(bed.available(a)).isEqualTo(6);
    assertThat(bed.available(b)).isEqualTo(4);

    JsonObject released = new JsonObject().put("orderId", orderId.toString()).put("status", "RELEASED");
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      replies.add(bed.requestAsync(RELEASE, new JsonObject().put("orderId", orderId.toString())));
    }
    await(Future.all(replies));
    replies.forEach(reply -> assertThat(reply.result()).isEqualTo(released));
    assertThat(bed.available(a)).isEqualTo(10);
    assertThat(bed.available(b)).isEqualTo(10);
    assertThat(bed.request(RELEASE, new JsonObject().put("orderId", orderId.toString()))).isEqualTo(released);
    assertThat(bed.available(a)).isEqualTo(10);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ? AND status = 'RELEASED'", orderId)).isEqualTo(2);

    // what is released stays released: reserve answers as first time and takes nothing, commit is refused
    assertThat(bed.request(RESERVE, order(orderId, a, 4, b, 6)).getString("status")).isEqualTo("RESERVED");
    assertThat(bed.available(a)).isEqualTo(10);
    bed.assertRefused(COMMIT, new JsonObject().put("orderId", orderId.toString()), 409);
  }

  @Test
  void commitSellsTheHeldUnitsOnce() throws Exception {
    UUID product = bed.stocked(3);
    UUID orderId = UUID.randomUUID();
    bed.request(RESERVE, order(orderId, product, 2));
    JsonObject committed = new JsonObject().put("orderId", orderId.toString()).put("status", "COMMITTED");
    assertThat(bed.request(COMMIT, new JsonObject().put("orderId", orderId.toString()))).isEqualTo(committed);
    assertThat(bed.request(COMMIT, new JsonObject().put("orderId", orderId.toString()))).isEqualTo(committed);
    assertThat(bed.available(product)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ? AND status = 'COMMITTED'", orderId)).isEqualTo(1);

    // cancelling a confirmed order puts its units back, once (DESIGN §3: cancel releases confirmed stock)
    bed.request(RELEASE, new JsonObject().put("orderId", orderId.toString()));
    bed.request(RELEASE, new JsonObject().put("orderId", orderId.toString()));
    assertThat(bed.available(product)).isEqualTo(3);

    bed.assertRefused(COMMIT, new JsonObject().put("orderId", UUID.randomUUID().toString()), 404);
    UUID rejected = UUID.randomUUID();
    bed.request(RESERVE, order(rejected, product, 99));
    bed.assertRefused(COMMIT, new JsonObject().put("orderId", rejected.toString()), 409);
  }

  @Test
  void anOrderReleasedBeforeItsReserveArrivesTakesNothing() throws Exception {
    UUID product = bed.stocked(5);
    UUID orderId = UUID.randomUUID();
    assertThat(bed.request(RELEASE, new JsonObject().put("orderId", orderId.toString())).getString("status")).isEqualTo("RELEASED");
    assertThat(bed.request(RESERVE, order(orderId, product, 1))).isEqualTo(new JsonObject()
      .put("orderId", orderId.toString()).put("status", "REJECTED").put("reason", "RELEASED"));
    assertThat(bed.available(product)).isEqualTo(5);
    bed.assertRefused(COMMIT, new JsonObject().put("orderId", orderId.toString()), 409);
  }

  @Test
  void ordersTakingTheSameProductsInAnyOrderNeverDeadlock() throws Exception {
    UUID a = bed.stocked(1000);
    UUID b = bed.stocked(1000);
    UUID c = bed.stocked(1000);
    List<Future<JsonObject>> replies = new ArrayList<>();
    List<UUID> orders = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      UUID orderId = UUID.randomUUID();
      orders.add(orderId);
      replies.add(bed.requestAsync(RESERVE, i % 2 == 0 ? order(orderId, a, 1, b, 2, c, 3) : order(orderId, c, 3, b, 2, a, 1)));
      if (i % 3 == 0 && i > 0) {
        replies.add(bed.requestAsync(RELEASE, new JsonObject().put("orderId", orders.get(i - 1).toString())));
      }
    }
    await(Future.all(replies));
    long reservedOrders = bed.count("SELECT count(*) FROM reservations WHERE product_id = ? AND status = 'RESERVED'", a);
    long held = bed.count("SELECT coalesce(sum(quantity), 0) FROM reservations WHERE product_id = ? AND status = 'RESERVED'", a);
    // the invariant: what is on hand plus what is held equals what was put in
    assertThat(bed.available(a) + held).isEqualTo(1000);
    // 9 of the 30 were released, whether their release came before or after their reserve
    assertThat(reservedOrders).isEqualTo(21);
    assertThat(bed.available(c)).isEqualTo(1000 - 3 * reservedOrders);
  }

  private static UUID withFirstDigit(char digit) {
    return UUID.fromString(digit + UUID.randomUUID().toString().substring(1));
  }

  @Test
  void malformedReservationRequestsAreRefused() throws Exception {
    UUID product = bed.stocked(5);
    String orderId = UUID.randomUUID().toString();
    JsonArray oneLine = new JsonArray().add(new JsonObject().put("productId", product.toString()).put("quantity", 1));
    List<Object> bad = List.of(
      new JsonObject().put("lines", oneLine),
      new JsonObject().put("orderId", "nope").put("lines", oneLine),
      new JsonObject().put("orderId", orderId),
      new JsonObject().put("orderId", orderId).put("lines", new JsonArray()),
      new JsonObject().put("orderId", orderId).put("lines", new JsonArray(Collections.nCopies(101, oneLine.getJsonObject(0)))),
      new JsonObject().put("orderId", orderId).put("lines", new JsonArray().add("line")),
      order(UUID.fromString(orderId), product, 0),
      order(UUID.fromString(orderId), product, -1),
      order(UUID.fromString(orderId), product, 1.5),
      order(UUID.fromString(orderId), product, 1_000_001),
      order(UUID.fromString(orderId), product, "1"),
      order(UUID.fromString(orderId), "not-a-uuid", 1),
      "text");
    for (Object body : bad) {
      bed.assertRefused(RESERVE, body, 400);
    }
    for (Object body : List.of(new JsonObject(), new JsonObject().put("orderId", 5), "text")) {
      bed.assertRefused(RELEASE, body, 400);
      bed.assertRefused(COMMIT, body, 400);
    }
    assertThat(bed.available(product)).isEqualTo(5);
    assertThat(bed.count("SELECT count(*) FROM order_reservations WHERE order_id = ?", UUID.fromString(orderId))).isZero();
  }
}
