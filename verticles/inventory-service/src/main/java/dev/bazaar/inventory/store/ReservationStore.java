package dev.bazaar.inventory.store;

import dev.bazaar.inventory.domain.CommitResult;
import dev.bazaar.inventory.domain.ReservationLine;
import dev.bazaar.inventory.domain.ReservationOutcome;
import dev.bazaar.inventory.domain.ReservationRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reservations of stock per order, guarded by the database alone (no locks in memory): every
 * operation on an order first inserts or locks its {@code order_reservations} row, so operations
 * on one order are serialised and repeats are answered from what is stored; stock is taken by
 * conditional updates that can never drive it below zero, row by row in {@link ReservationRequest#STOCK_ORDER}.
 *
 * <p>Every operation runs in the caller's transaction: the saga's consumer stores its outbox event
 * and its processed-message mark in the same one.
 */
public final class ReservationStore {
  private static final String TAKE_STOCK =
    "UPDATE stock SET available = available - $2, updated_at = now() WHERE product_id = $1 AND available >= $2";
  private static final String RETURN_STOCK =
    "UPDATE stock SET available = available + $2, updated_at = now() WHERE product_id = $1";

  /**
   * Holds every line or none. The first reserve of an order decides; any later one (same order id,
   * whatever its lines) returns that decision and changes nothing.
   */
  public Future<ReservationOutcome> reserve(SqlConnection tx, ReservationRequest request) {
    UUID orderId = request.orderId();
    // Claims the order; a concurrent reserve of the same order waits here until this one commits.
    return tx.preparedQuery("INSERT INTO order_reservations (order_id, outcome) VALUES ($1, 'RESERVED') "
        + "ON CONFLICT (order_id) DO NOTHING")
      .execute(Tuple.of(orderId))
      .compose(claimed -> claimed.rowCount() == 1
        ? takeStock(tx, request)
        : outcome(tx, orderId));
  }

  /**
   * Returns what the order holds (reserved or committed units) to stock, exactly once. An order
   * inventory has not seen yet is recorded as released, so that a reserve arriving after its
   * cancellation takes nothing. Answers whether this call returned units to stock ({@code false}
   * for a repeat, or an order that held nothing).
   */
  public Future<Boolean> release(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery("INSERT INTO order_reservations (order_id, outcome, reject_reason) "
        + "VALUES ($1, 'REJECTED', 'RELEASED') ON CONFLICT (order_id) DO UPDATE SET updated_at = now()")
      .execute(Tuple.of(orderId))
      .compose(locked -> tx.preparedQuery("UPDATE reservations SET status = 'RELEASED', updated_at = now() "
          + "WHERE order_id = $1 AND status IN ('RESERVED', 'COMMITTED') RETURNING product_id, quantity")
        .execute(Tuple.of(orderId)))
      .compose(released -> {
        List<Tuple> returns = new ArrayList<>();
        linesOf(released).forEach(line -> returns.add(Tuple.of(line.productId(), line.quantity())));
        return returns.isEmpty()
          ? Future.succeededFuture(false)
          : tx.preparedQuery(RETURN_STOCK).executeBatch(returns).map(true);
      });
  }

  /** Marks the units an order holds as sold; idempotent. */
  public Future<CommitResult> commit(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery("SELECT outcome, reject_reason FROM order_reservations WHERE order_id = $1 FOR UPDATE")
      .execute(Tuple.of(orderId))
      .compose(rows -> {
        if (rows.rowCount() == 0) {
          return Future.succeededFuture(CommitResult.UNKNOWN_ORDER);
        }
        Row order = rows.iterator().next();
        if (!"RESERVED".equals(order.getString("outcome"))) {
          boolean releasedFirst = "RELEASED".equals(order.getString("reject_reason"));
          return Future.succeededFuture(releasedFirst ? CommitResult.RELEASED : CommitResult.REJECTED);
        }
        // All lines of an order share one status; the order row is locked, so it cannot change under us.
        return tx.preparedQuery("UPDATE reservations SET status = 'COMMITTED', updated_at = now() "
            + "WHERE order_id = $1 AND status = 'RESERVED'")
          .execute(Tuple.of(orderId))
          .compose(updated -> updated.rowCount() > 0
            ? Future.succeededFuture(CommitResult.COMMITTED)
            : tx.preparedQuery("SELECT bool_or(status = 'RELEASED') AS released FROM reservations WHERE order_id = $1")
              .execute(Tuple.of(orderId))
              .map(status -> Boolean.TRUE.equals(status.iterator().next().getBoolean("released"))
                ? CommitResult.RELEASED
                : CommitResult.COMMITTED));
      });
  }

  /** The lines the order holds or held (whatever their status), in stock order; empty for an order that holds nothing. */
  public Future<List<ReservationLine>> lines(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery("SELECT product_id, quantity FROM reservations WHERE order_id = $1")
      .execute(Tuple.of(orderId))
      .map(ReservationStore::linesOf);
  }

  /** Takes each line's units in stock order; at the first short line, puts everything back and records the rejection. */
  private Future<ReservationOutcome> takeStock(SqlConnection tx, ReservationRequest request) {
    UUID orderId = request.orderId();
    return tx.query("SAVEPOINT take_stock").execute()
      .compose(v -> takeLines(tx, request.lines(), 0))
      .compose(shortProduct -> {
        if (shortProduct.isEmpty()) {
          return holdLines(tx, request).map(v -> ReservationOutcome.reserved(orderId));
        }
        return tx.query("ROLLBACK TO SAVEPOINT take_stock").execute()
          .compose(v -> tx.preparedQuery("UPDATE order_reservations SET outcome = 'REJECTED', "
              + "reject_reason = 'INSUFFICIENT_STOCK', short_product_id = $2, updated_at = now() WHERE order_id = $1")
            .execute(Tuple.of(orderId, shortProduct.get())))
          .map(v -> ReservationOutcome.shortOf(orderId, shortProduct.get()));
      });
  }

  /** The product of the first line whose stock is short, or empty when every line was taken. */
  private Future<Optional<UUID>> takeLines(SqlConnection tx, List<ReservationLine> lines, int index) {
    if (index == lines.size()) {
      return Future.succeededFuture(Optional.empty());
    }
    ReservationLine line = lines.get(index);
    return tx.preparedQuery(TAKE_STOCK)
      .execute(Tuple.of(line.productId(), line.quantity()))
      .compose(taken -> taken.rowCount() == 1
        ? takeLines(tx, lines, index + 1)
        : Future.succeededFuture(Optional.of(line.productId())));
  }

  private Future<Void> holdLines(SqlConnection tx, ReservationRequest request) {
    List<Tuple> rows = request.lines().stream()
      .map(line -> Tuple.of(request.orderId(), line.productId(), line.quantity()))
      .toList();
    return tx.preparedQuery("INSERT INTO reservations (order_id, product_id, quantity, status) VALUES ($1, $2, $3, 'RESERVED')")
      .executeBatch(rows)
      .mapEmpty();
  }

  private Future<ReservationOutcome> outcome(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery("SELECT outcome, reject_reason, short_product_id FROM order_reservations WHERE order_id = $1")
      .execute(Tuple.of(orderId))
      .map(rows -> {
        Row row = rows.iterator().next();
        if ("RESERVED".equals(row.getString("outcome"))) {
          return ReservationOutcome.reserved(orderId);
        }
        return "RELEASED".equals(row.getString("reject_reason"))
          ? ReservationOutcome.releasedBeforeReserve(orderId)
          : ReservationOutcome.shortOf(orderId, row.getUUID("short_product_id"));
      });
  }

  /** Released lines, in stock order, so that returning them takes stock rows in the same order as reserving does. */
  private static List<ReservationLine> linesOf(RowSet<Row> rows) {
    List<ReservationLine> lines = new ArrayList<>(rows.rowCount());
    rows.forEach(row -> lines.add(new ReservationLine(row.getUUID("product_id"), row.getInteger("quantity"))));
    lines.sort((a, b) -> ReservationRequest.STOCK_ORDER.compare(a.productId(), b.productId()));
    return lines;
  }
}
