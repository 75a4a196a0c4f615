package dev.bazaar.order.store;

import dev.bazaar.order.domain.ExistingOrder;
import dev.bazaar.order.domain.IdempotencyKey;
import dev.bazaar.order.domain.NewOrder;
import dev.bazaar.order.domain.Order;
import dev.bazaar.order.domain.OrderLine;
import dev.bazaar.order.domain.OrderStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

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

  public OrderStore(Pool pool) {
    this.pool = pool;
  }

  /** What placing an order did: stored it, or found the one already placed under its Idempotency-Key. */
  public sealed interface Placement {
    record Created(Order order) implements Placement {
    }

    record AlreadyPlaced(ExistingOrder existing) implements Placement {
    }
  }

  /**
   * Stores the order PENDING with its lines in one transaction. When the user already has an order
   * under the same Idempotency-Key (also one committed by a concurrent retry a moment ago), nothing
   * is stored and that order is returned instead.
   */
  public Future<Placement> place(NewOrder order) {
    String key = order.idempotencyKey().map(IdempotencyKey::value).orElse(null);
    return pool.<Optional<Order>>withTransaction(connection -> connection
        .preparedQuery("INSERT INTO orders (id, user_id, status, total_cents, currency, payment_token, idempotency_key, request_hash) "
          + "VALUES ($1, $2, 'PENDING', $3, $4, $5, $6, $7) ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {order.id(), order.userId(), order.totalCents(), order.currency(), order.paymentToken(),
          key, order.requestHash()}))
        .compose(rows -> rows.rowCount() == 0
          ? Future.succeededFuture(Optional.empty())
          : insertLines(connection, order).map(lines -> Optional.of(toOrder(rows.iterator().next(), lines)))))
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
  public Future<OrderPage> list(UUID userId, OrderStatus status, int offset, int limit) {
    String where = " WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::text IS NULL OR status = $2)";
    String statusName = status == null ? null : status.name();
    Future<Long> total = pool.preparedQuery("SELECT count(*) AS total FROM orders" + where)
      .execute(Tuple.of(userId, statusName))
      .map(rows -> rows.iterator().next().getLong("total"));
    Future<List<Order>> page = pool.preparedQuery("SELECT " + COLUMNS + " FROM orders" + where
        + " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4")
      .execute(Tuple.of(userId, statusName, limit, offset))
      .compose(rows -> withLines(pool, rows));
    return Future.all(total, page).map(all -> new OrderPage(page.result(), total.result()));
  }

  public record OrderPage(List<Order> items, long total) {
  }

  /**
   * Moves the order to {@code target} only from a status the state machine allows; false when it
   * was not there (a stale or duplicated request changes nothing).
   */
  public Future<Boolean> transition(UUID id, OrderStatus target, String reason) {
    String[] sources = OrderStatus.sourcesOf(target).stream().map(Enum::name).toArray(String[]::new);
    return pool.preparedQuery("UPDATE orders SET status = $2, reason = $3, updated_at = now(), version = version + 1 "
        + "WHERE id = $1 AND status = ANY($4)")
      .execute(Tuple.of(id, target.name(), reason, sources))
      .map(rows -> rows.rowCount() == 1);
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
