package dev.bazaar.payment.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * SQL for what payment-service knows of an order before (or besides) its payment: the deadline and
 * a cancellation tombstone. Every write is an upsert that locks the order's row until the
 * transaction ends: the consumer's handlers of one order, arriving on different topics, run one
 * after the other (an OrderCancelled racing a StockReserved sees its payment, or leaves a tombstone
 * that the StockReserved sees).
 */
public final class OrderFactsStore {
  private final Pool pool;

  public OrderFactsStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * What is known of the order, its row locked for the transaction (the deadline was recorded from
   * OrderCreated by versions before StockReserved carried it: may be null).
   */
  public record OrderFacts(Instant deadline, boolean cancelled) {
  }

  public Future<OrderFacts> lock(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery("INSERT INTO order_facts (order_id) VALUES ($1)"
        + " ON CONFLICT (order_id) DO UPDATE SET updated_at = now() RETURNING deadline, cancelled")
      .execute(Tuple.of(orderId))
      .map(rows -> {
        var row = rows.iterator().next();
        OffsetDateTime deadline = row.getOffsetDateTime("deadline");
        return new OrderFacts(deadline == null ? null : deadline.toInstant(), row.getBoolean("cancelled"));
      });
  }

  public Future<Void> cancelled(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery("INSERT INTO order_facts (order_id, cancelled) VALUES ($1, true)"
        + " ON CONFLICT (order_id) DO UPDATE SET cancelled = true, updated_at = now()")
      .execute(Tuple.of(orderId))
      .mapEmpty();
  }

  /** Deletes facts older than {@code hours} (bounded batch); how many. */
  public Future<Integer> purge(int hours) {
    return pool.preparedQuery("DELETE FROM order_facts WHERE ctid IN (SELECT ctid FROM order_facts"
        + " WHERE updated_at < now() - make_interval(hours => $1) LIMIT 5000)")
      .execute(Tuple.of(hours))
      .map(rows -> rows.rowCount());
  }
}
