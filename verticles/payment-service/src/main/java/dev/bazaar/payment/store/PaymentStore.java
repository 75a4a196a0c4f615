package dev.bazaar.payment.store;

import dev.bazaar.payment.domain.Payment;
import dev.bazaar.payment.domain.PaymentStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for payments. */
public final class PaymentStore {
  private static final String COLUMNS = "id, order_id, user_id, amount_cents, currency, status, provider_ref, created_at";

  private final Pool pool;

  public PaymentStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Payment>> byId(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM payments WHERE id = $1")
      .execute(Tuple.of(id))
      .map(rows -> {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(toPayment(it.next())) : Optional.empty();
      });
  }

  /** One page of payments, newest first, optionally of one user and of one order; and how many there are in all. */
  public Future<PaymentPage> list(UUID userId, UUID orderId, int offset, int limit) {
    String where = " WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::uuid IS NULL OR order_id = $2)";
    Future<Long> total = pool.preparedQuery("SELECT count(*) AS total FROM payments" + where)
      .execute(Tuple.of(userId, orderId))
      .map(rows -> rows.iterator().next().getLong("total"));
    Future<List<Payment>> page = pool.preparedQuery("SELECT " + COLUMNS + " FROM payments" + where
        + " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4")
      .execute(Tuple.of(userId, orderId, limit, offset))
      .map(rows -> {
        List<Payment> payments = new ArrayList<>();
        rows.forEach(row -> payments.add(toPayment(row)));
        return payments;
      });
    return Future.all(total, page).map(all -> new PaymentPage(page.result(), total.result()));
  }

  public record PaymentPage(List<Payment> items, long total) {
  }

  private static Payment toPayment(Row row) {
    return new Payment(
      row.getUUID("id"),
      row.getUUID("order_id"),
      row.getUUID("user_id"),
      row.getLong("amount_cents"),
      row.getString("currency"),
      PaymentStatus.valueOf(row.getString("status")),
      row.getString("provider_ref"),
      row.getOffsetDateTime("created_at").toInstant());
  }
}
