package dev.bazaar.inventory;

import dev.bazaar.inventory.domain.CommitResult;
import dev.bazaar.inventory.domain.ReservationLine;
import dev.bazaar.inventory.domain.ReservationOutcome;
import dev.bazaar.inventory.domain.ReservationRequest;
import dev.bazaar.inventory.store.ReservationStore;
import dev.bazaar.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.platform.testing.TestBed.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reservations per order ({@link ReservationStore}, what the saga's consumer calls in its
 * transaction), against real PostgreSQL and real concurrency.
 */
class ReservationsIT extends InventoryTestBed.PerClass {
  static Pool pool;
  static final ReservationStore STORE = new ReservationStore();

  @BeforeAll
  static void openPool() {
    pool = Database.pool(bed.vertx, bed.db);
  }

  @Test
  void fiftyConcurrentOrdersShareTenUnitsExactly() throws Exception {
    UUID product = bed.stocked(10);
    List<Future<ReservationOutcome>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(reserveAsync(UUID.randomUUID(), product, 1));
    }
    await(Future.all(replies));
    List<ReservationOutcome.Status> statuses = replies.stream().map(reply -> reply.result().status()).toList();
    assertThat(Collections.frequency(statuses, ReservationOutcome.Status.RESERVED)).isEqualTo(10);
    assertThat(Collections.frequency(statuses, ReservationOutcome.Status.REJECTED)).isEqualTo(40);
    replies.stream().map(Future::result).filter(reply -> reply.status() == ReservationOutcome.Status.REJECTED)
      .forEach(reply -> assertThat(reply.shortProductId()).isEqualTo(product));
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
    assertThat(reserve(orderId, plenty, 2, scarce, 3)).isEqualTo(ReservationOutcome.shortOf(orderId, scarce));
    assertThat(bed.available(plenty)).isEqualTo(5);
    assertThat(bed.available(scarce)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ?", orderId)).isZero();

    // a product inventory has never stocked is short too
    UUID unknown = UUID.randomUUID();
    assertThat(reserve(UUID.randomUUID(), plenty, 1, unknown, 1).shortProductId()).isEqualTo(unknown);
    assertThat(bed.available(plenty)).isEqualTo(5);
  }

  @Test
  void reservingAgainAnswersTheFirstOutcomeAndChangesNothing() throws Exception {
    UUID a = bed.stocked(5);
    UUID b = bed.stocked(5);
    UUID orderId = UUID.randomUUID();
    ReservationOutcome first = reserve(orderId, a, 2, b, 1, a, 1);
    assertThat(first).isEqualTo(ReservationOutcome.reserved(orderId));
    assertThat(bed.available(a)).isEqualTo(2);
    assertThat(bed.available(b)).isEqualTo(4);
    assertThat(bed.count("SELECT quantity FROM reservations WHERE order_id = ? AND product_id = ?", orderId, a)).isEqualTo(3);

    assertThat(reserve(orderId, a, 2, b, 1, a, 1)).isEqualTo(first);
    assertThat(reserve(orderId, b, 4)).as("a repeat with other lines").isEqualTo(first);
    List<Future<ReservationOutcome>> repeats = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      repeats.add(reserveAsync(orderId, a, 1));
    }
    await(Future.all(repeats));
    repeats.forEach(repeat -> assertThat(repeat.result()).isEqualTo(first));
    assertThat(bed.available(a)).isEqualTo(2);
    assertThat(bed.available(b)).isEqualTo(4);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ?", orderId)).isEqualTo(2);

    // a rejection is final too, even once stock has arrived
    UUID rejected = UUID.randomUUID();
    ReservationOutcome no = reserve(rejected, b, 100);
    assertThat(no.status()).isEqualTo(ReservationOutcome.Status.REJECTED);
    bed.putStockDirect(b, 1000);
    assertThat(reserve(rejected, b, 100)).isEqualTo(no);
    assertThat(bed.available(b)).isEqualTo(1000);
  }

  @Test
  void concurrentDuplicatesOfANewOrderReserveOnce() throws Exception {
    UUID product = bed.stocked(100);
    UUID orderId = UUID.randomUUID();
    List<Future<ReservationOutcome>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(reserveAsync(orderId, product, 7));
    }
    await(Future.all(replies));
    replies.forEach(reply -> assertThat(reply.result().status()).isEqualTo(ReservationOutcome.Status.RESERVED));
    assertThat(bed.available(product)).isEqualTo(93);
  }

  @Test
  void releaseReturnsStockExactlyOnce() throws Exception {
    UUID a = bed.stocked(10);
    UUID b = bed.stocked(10);
    UUID orderId = UUID.randomUUID();
    reserve(orderId, a, 4, b, 6);
    assertThat(bed.available(a)).isEqualTo(6);
    assertThat(bed.available(b)).isEqualTo(4);

    List<Future<Boolean>> replies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      replies.add(releaseAsync(orderId));
    }
    await(Future.all(replies));
    assertThat(replies.stream().filter(Future::result).count()).as("one release returned the units").isEqualTo(1);
    assertThat(bed.available(a)).isEqualTo(10);
    assertThat(bed.available(b)).isEqualTo(10);
    assertThat(await(releaseAsync(orderId))).isFalse();
    assertThat(bed.available(a)).isEqualTo(10);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ? AND status = 'RELEASED'", orderId)).isEqualTo(2);

    // what is released stays released: reserve answers as first time and takes nothing, commit is refused
    assertThat(reserve(orderId, a, 4, b, 6).status()).isEqualTo(ReservationOutcome.Status.RESERVED);
    assertThat(bed.available(a)).isEqualTo(10);
    assertThat(commit(orderId)).isEqualTo(CommitResult.RELEASED);
  }

  @Test
  void commitSellsTheHeldUnitsOnce() throws Exception {
    UUID product = bed.stocked(3);
    UUID orderId = UUID.randomUUID();
    reserve(orderId, product, 2);
    assertThat(commit(orderId)).isEqualTo(CommitResult.COMMITTED);
    assertThat(commit(orderId)).isEqualTo(CommitResult.COMMITTED);
    assertThat(bed.available(product)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM reservations WHERE order_id = ? AND status = 'COMMITTED'", orderId)).isEqualTo(1);

    // cancelling a confirmed order puts its units back, once (DESIGN §3: cancel releases confirmed stock)
    await(releaseAsync(orderId));
    await(releaseAsync(orderId));
    assertThat(bed.available(product)).isEqualTo(3);

    assertThat(commit(UUID.randomUUID())).isEqualTo(CommitResult.UNKNOWN_ORDER);
    UUID rejected = UUID.randomUUID();
    reserve(rejected, product, 99);
    assertThat(commit(rejected)).isEqualTo(CommitResult.REJECTED);
  }

  @Test
  void anOrderReleasedBeforeItsReserveArrivesTakesNothing() throws Exception {
    UUID product = bed.stocked(5);
    UUID orderId = UUID.randomUUID();
    assertThat(await(releaseAsync(orderId))).as("nothing held, nothing returned").isFalse();
    assertThat(reserve(orderId, product, 1)).isEqualTo(ReservationOutcome.releasedBeforeReserve(orderId));
    assertThat(bed.available(product)).isEqualTo(5);
    assertThat(commit(orderId)).isEqualTo(CommitResult.RELEASED);
  }

  @Test
  void ordersTakingTheSameProductsInAnyOrderNeverDeadlock() throws Exception {
    UUID a = bed.stocked(1000);
    UUID b = bed.stocked(1000);
    UUID c = bed.stocked(1000);
    List<Future<?>> replies = new ArrayList<>();
    List<UUID> orders = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      UUID orderId = UUID.randomUUID();
      orders.add(orderId);
      replies.add(i % 2 == 0 ? reserveAsync(orderId, a, 1, b, 2, c, 3) : reserveAsync(orderId, c, 3, b, 2, a, 1));
      if (i % 3 == 0 && i > 0) {
        replies.add(releaseAsync(orders.get(i - 1)));
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

  // ---- the store, each call in its own transaction, as the consumer runs it

  private static Future<ReservationOutcome> reserveAsync(UUID orderId, Object... productAndQuantity) {
    List<ReservationLine> lines = new ArrayList<>();
    for (int i = 0; i < productAndQuantity.length; i += 2) {
      lines.add(new ReservationLine((UUID) productAndQuantity[i], (Integer) productAndQuantity[i + 1]));
    }
    return pool.withTransaction(tx -> STORE.reserve(tx, new ReservationRequest(orderId, lines)));
  }

  private static ReservationOutcome reserve(UUID orderId, Object... productAndQuantity) throws Exception {
    return await(reserveAsync(orderId, productAndQuantity));
  }

  private static Future<Boolean> releaseAsync(UUID orderId) {
    return pool.withTransaction(tx -> STORE.release(tx, orderId));
  }

  private static CommitResult commit(UUID orderId) throws Exception {
    return await(pool.withTransaction(tx -> STORE.commit(tx, orderId)));
  }

  private static UUID withFirstDigit(char digit) {
    return UUID.fromString(digit + UUID.randomUUID().toString().substring(1));
  }
}
