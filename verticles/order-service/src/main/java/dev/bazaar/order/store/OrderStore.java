package dev.bazaar.order.store;

import dev.bazaar.order.domain.CancellationReason;
import dev.bazaar.order.domain.ExistingOrder;
import dev.bazaar.order.domain.IdempotencyKey;
import dev.bazaar.order.domain.NewOrder;
import dev.bazaar.order.domain.Order;
import dev.bazaar.order.domain.OrderLine;
import dev.bazaar.order.domain.OrderStatus;
import dev.bazaar.order.events.OrderEvents;
import dev.bazaar.platform.messaging.Outbox;
import dev.bazaar.platform.db.Page;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for orders and their lines (one aggregate). */
public final class OrderStore {
  private static final String COLUMNS = "id, user_id, status, total_cents, currency, reason, created_at, updated_at";
  private static final String LINE_COLUMNS = "order_id, product_id, quantity, unit_price_cents";

  private final Pool pool;
  private final Duration deadline;

  /** {@code deadline}: how long after it is placed an order may stay PENDING before the sweeper cancels it. */
  public OrderStore(Pool pool, Duration deadline) {
    this.pool = pool;
    this.deadline = deadline;
  }

  /** What placing an order did: stored it, or found the one already placed under its Idempotency-Key. */
  public sealed interface Placement {
    record Created(Order order) implements Placement {
    }

    record AlreadyPlaced(ExistingOrder existing) implements Placement {
    }
  }

  /**
   * Stores the order PENDING with its lines, its deadline (database time) and its {@code OrderCreated}
   * outbox row (with {@code traceparent}) in one transaction. When the user already has an order
   * under the same Idempotency-Key (also one committed by a concurrent retry a moment ago), nothing
   * is stored nor announced and that order is returned instead.
   */
  public Future<Placement> place(NewOrder order, String traceparent) {
    String key = order.idempotencyKey().map(IdempotencyKey::value).orElse(null);
    return pool.<Optional<Order>>withTransaction(connection -> connection
        .preparedQuery("INSERT INTO orders (id, user_id, status, total_cents, currency, idempotency_key, request_hash, deadline) "
          + "VALUES ($1, $2, 'PENDING', $3, $4, $5, $6, now() + $7::int * interval '1 second') "
          + "ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING " + COLUMNS + ", deadline")
        .execute(Tuple.from(new Object[] {order.id(), order.userId(), order.totalCents(), order.currency(), key,
          order.requestHash(), (int) deadline.toSeconds()}))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.succeededFuture(Optional.empty());
          }
          Row row = rows.iterator().next();
          Instant due = row.getOffsetDateTime("deadline").toInstant();
          return insertLines(connection, order)
            .compose(lines -> Outbox.append(connection, order.id(), OrderEvents.orderCreated(order, due), traceparent)
              .map(v -> Optional.of(toOrder(row, lines))));
        }))
      .compose(created -> created.isPresent()
        ? Future.succeededFuture(new Placement.Created(created.get()))
        : byIdempotencyKey(order.userId(), order.idempotencyKey().orElseThrow())
          .map(existing -> new Placement.AlreadyPlaced(existing.orElseThrow(
            () -> new IllegalStateException("idempotency conflict without a row")))));
  }

  public Future<Optional<ExistingOrder>> byIdempotencyKey(UUID userId, IdempotencyKey key) {
    return pool.preparedQuery("SELECT id, status, request_hash FROM orders WHERE user_id = $1 AND idempotency_key = $2")
      .execute(Tuple.of(userId, key.value()))
      .map(rows -> {
        var it = rows.iterator();
        if (!it.hasNext()) {
          return Optional.empty();
        }
        Row row = it.next();
        return Optional.of(new ExistingOrder(row.getUUID("id"), OrderStatus.valueOf(row.getString("status")), row.getString("request_hash")));
      });
  }

  public Future<Optional<Order>> byId(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM orders WHERE id = $1")
      .execute(Tuple.of(id))
      .compose(rows -> withLines(pool, rows))
      .map(orders -> orders.stream().findFirst());
  }

  /** One page of orders, newest first, optionally of one user and in one status; and how many there are in all. */
  public Future<Page<Order>> list(UUID userId, OrderStatus status, int offset, int limit) {
    String where = " WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::text IS NULL OR status = $2)";
    String statusName = status == null ? null : status.name();
    Future<List<Order>> page = pool.preparedQuery("SELECT " + COLUMNS + " FROM orders" + where
        + " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4")
      .execute(Tuple.of(userId, statusName, limit, offset))
      .compose(rows -> withLines(pool, rows));
    return Page.of(page, Page.count(pool, "SELECT count(*) FROM orders" + where, Tuple.of(userId, statusName)));
  }

  /**
   * Moves the order to {@code target} only from a status the state machine allows; false when it
   * was not there (a stale or duplicated request changes nothing).
   */
  public Future<Boolean> transition(UUID id, OrderStatus target, String reason) {
    return transition(pool, id, target, reason);
  }

  /** {@link #transition(UUID, OrderStatus, String)} on {@code client} (a transaction's connection). */
  public static Future<Boolean> transition(SqlClient client, UUID id, OrderStatus target, String reason) {
    String[] sources = OrderStatus.sourcesOf(target).stream().map(Enum::name).toArray(String[]::new);
    return client.preparedQuery("UPDATE orders SET status = $2, reason = $3, updated_at = now(), version = version + 1 "
        + "WHERE id = $1 AND status = ANY($4)")
      .execute(Tuple.of(id, target.name(), reason, sources))
      .map(rows -> rows.rowCount() == 1);
  }

  /** What the saga needs of an order, read under its row lock (held until the transaction ends). */
  public record Locked(UUID id, UUID userId, OrderStatus status, long totalCents, String currency) {
  }

  /** Locks the order's row for the rest of {@code tx} ({@code FOR UPDATE}): empty if there is no such order. */
  public static Future<Optional<Locked>> lock(SqlConnection tx, UUID id) {
    return tx.preparedQuery("SELECT id, user_id, status, total_cents, currency FROM orders WHERE id = $1 FOR UPDATE")
      .execute(Tuple.of(id))
      .map(rows -> {
        var it = rows.iterator();
        if (!it.hasNext()) {
          return Optional.empty();
        }
        Row row = it.next();
        return Optional.of(new Locked(row.getUUID("id"), row.getUUID("user_id"), OrderStatus.valueOf(row.getString("status")),
          row.getLong("total_cents"), row.getString("currency")));
      });
  }

  /**
   * Cancels the order PENDING → or CONFIRMED → CANCELLED under its row lock and appends
   * {@code OrderCancelled} (reason, previous status) in the same transaction, so that inventory
   * releases and payment refunds. Answers the status the order was found in, and whether it was
   * cancelled now (false: it could not be, e.g. it was CANCELLED already); empty if there is no such order.
   */
  public Future<Optional<Cancellation>> cancel(UUID id, CancellationReason reason, String traceparent) {
    return pool.withTransaction(tx -> lock(tx, id).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.<Cancellation>empty());
      }
      Locked order = found.get();
      if (!order.status().canMoveTo(OrderStatus.CANCELLED)) {
        return Future.succeededFuture(Optional.of(new Cancellation(order.status(), false)));
      }
      return transition(tx, id, OrderStatus.CANCELLED, reason.code())
        .compose(moved -> moved
          ? Outbox.append(tx, id, OrderEvents.orderCancelled(order.userId(), reason, order.status()), traceparent).map(true)
          : Future.succeededFuture(false))
        .map(moved -> Optional.of(new Cancellation(order.status(), moved)));
    }));
  }

  /** The outcome of {@link #cancel}: the status the order was found in, and whether this call cancelled it. */
  public record Cancellation(OrderStatus found, boolean cancelled) {
  }

  private static Future<List<OrderLine>> insertLines(SqlConnection connection, NewOrder order) {
    List<Tuple> batch = new ArrayList<>();
    for (int i = 0; i < order.lines().size(); i++) {
      OrderLine line = order.lines().get(i);
      batch.add(Tuple.of(order.id(), line.productId(), (short) i, line.quantity(), line.unitPriceCents()));
    }
    return connection.preparedQuery("INSERT INTO order_lines (order_id, product_id, line_no, quantity, unit_price_cents) "
        + "VALUES ($1, $2, $3, $4, $5)")
      .executeBatch(batch)
      .map(done -> order.lines());
  }

  private static Future<List<Order>> withLines(SqlClient client, RowSet<Row> orderRows) {
    List<Row> rows = new ArrayList<>();
    orderRows.forEach(rows::add);
    if (rows.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] ids = rows.stream().map(row -> row.getUUID("id")).toArray(UUID[]::new);
    return client.preparedQuery("SELECT " + LINE_COLUMNS + " FROM order_lines WHERE order_id = ANY($1) ORDER BY order_id, line_no")
      .execute(Tuple.of(ids))
      .map(lineRows -> {
        Map<UUID, List<OrderLine>> lines = new HashMap<>();
        lineRows.forEach(row -> lines.computeIfAbsent(row.getUUID("order_id"), k -> new ArrayList<>())
          .add(new OrderLine(row.getUUID("product_id"), row.getInteger("quantity"), row.getLong("unit_price_cents"))));
        return rows.stream().map(row -> toOrder(row, lines.getOrDefault(row.getUUID("id"), List.of()))).toList();
      });
  }

  private static Order toOrder(Row row, List<OrderLine> lines) {
    return new Order(
      row.getUUID("id"),
      row.getUUID("user_id"),
      OrderStatus.valueOf(row.getString("status")),
      lines,
      row.getLong("total_cents"),
      row.getString("currency"),
      row.getString("reason"),
      row.getOffsetDateTime("created_at").toInstant(),
      row.getOffsetDateTime("updated_at").toInstant());
  }
}
