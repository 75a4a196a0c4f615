package dev.bazaar.payment.store;

import dev.bazaar.payment.domain.ChargeRequest;
import dev.bazaar.payment.domain.FailureReason;
import dev.bazaar.payment.domain.Payment;
import dev.bazaar.payment.domain.PaymentStatus;
import dev.bazaar.platform.db.Page;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for payments. The saga's life of a row: the consumer records the intent (PENDING, in its
 * transaction); a worker then claims a lease on the row, calls the provider outside any transaction
 * (renewing the lease before each call) and settles it in a new transaction whose guard is the
 * status rule of {@link PaymentStatus}, so that a settlement happens once whoever races for it.
 */
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
  public Future<Page<Payment>> list(UUID userId, UUID orderId, int offset, int limit) {
    String where = " WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::uuid IS NULL OR order_id = $2)";
    Future<List<Payment>> page = pool.preparedQuery("SELECT " + COLUMNS + " FROM payments" + where
        + " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4")
      .execute(Tuple.of(userId, orderId, limit, offset))
      .map(rows -> {
        List<Payment> payments = new ArrayList<>();
        rows.forEach(row -> payments.add(toPayment(row)));
        return payments;
      });
    return Page.of(page, Page.count(pool, "SELECT count(*) FROM payments" + where, Tuple.of(userId, orderId)));
  }

  // ---- the saga: intent and cancellation (inside the consumer's transaction)

  /** A PENDING payment for the order, unless it has one already (then nothing: {@code false}). */
  public Future<Boolean> recordIntent(SqlConnection tx, UUID paymentId, ChargeRequest request) {
    return tx.preparedQuery("INSERT INTO payments (id, order_id, user_id, amount_cents, currency, status, token, deadline)"
        + " VALUES ($1, $2, $3, $4, $5, 'PENDING', $6, $7) ON CONFLICT ON CONSTRAINT payments_one_per_order DO NOTHING")
      .execute(Tuple.of(paymentId, request.orderId(), request.userId(), request.amountCents(), request.currency(),
        request.token(), utc(request.deadline())))
      .map(rows -> rows.rowCount() == 1);
  }

  /** Marks the order's payment (PENDING or SUCCEEDED) as to be cancelled; {@code false} if there is none such. */
  public Future<Boolean> requestCancel(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery("UPDATE payments SET cancel_requested = true, updated_at = now()"
        + " WHERE order_id = $1 AND status IN ('PENDING', 'SUCCEEDED')")
      .execute(Tuple.of(orderId))
      .map(rows -> rows.rowCount() > 0);
  }



  // ---- the saga: work on a row (no transaction held across provider calls)

  /** A payment with work left, as a worker sees it. */
  public record Work(UUID id, UUID orderId, UUID userId, long amountCents, String currency, PaymentStatus status,
                     String token, Instant deadline, boolean cancelRequested, int chargeAttempts, String providerRef) {
    /** A refund is owed: charged, then the order was cancelled. */
    public boolean refundOwed() {
      return status == PaymentStatus.SUCCEEDED && cancelRequested;
    }
  }

  private static final String WORK_COLUMNS = "id, order_id, user_id, amount_cents, currency, status, token, deadline,"
    + " cancel_requested, charge_attempts, provider_ref";
  /** A charge to make (recorded by the saga: it has a token; PENDING rows without one are not the saga's), or a refund owed. */
  static final String HAS_WORK = "((status = 'PENDING' AND token IS NOT NULL) OR (status = 'SUCCEEDED' AND cancel_requested))";
  private static final String LEASE = "now() + ($3::bigint * interval '1 millisecond')";

  /** Counts a provider call about to be made, unless the order was cancelled before any call was made (then none must be). */
  private static final String COUNT_ATTEMPT = " status = 'PENDING' AND NOT (cancel_requested AND charge_attempts = 0)";

  /**
   * Takes the lease on the order's payment if it has work left and no live lease; a PENDING one's
   * first provider call is counted at once, as {@link #renew} does for the next ones (one round trip
   * and one commit less per payment).
   */
  public Future<Optional<Work>> claim(UUID orderId, String owner, long leaseMs) {
    return pool.preparedQuery("UPDATE payments SET lease_owner = $2, lease_until = " + LEASE
        + ", charge_attempts = CASE WHEN" + COUNT_ATTEMPT + " THEN charge_attempts + 1 ELSE charge_attempts END"
        + " WHERE order_id = $1 AND " + HAS_WORK + " AND (lease_until IS NULL OR lease_until < now())"
        + " RETURNING " + WORK_COLUMNS)
      .execute(Tuple.of(orderId, owner, leaseMs))
      .map(PaymentStore::work);
  }

  /**
   * Extends the lease before a provider call and, when {@code attempt}, counts the call: unless the
   * order was cancelled before any call was made (then the payment must not be charged at all).
   * Empty if the lease was lost.
   */
  public Future<Optional<Work>> renew(UUID orderId, String owner, long leaseMs, boolean attempt) {
    return pool.preparedQuery("UPDATE payments SET lease_until = " + LEASE + ", charge_attempts = CASE"
        + " WHEN $4 AND" + COUNT_ATTEMPT + " THEN charge_attempts + 1"
        + " ELSE charge_attempts END WHERE order_id = $1 AND lease_owner = $2 RETURNING " + WORK_COLUMNS)
      .execute(Tuple.of(orderId, owner, leaseMs, attempt))
      .map(PaymentStore::work);
  }

  /** Gives the lease up (the row may be picked up again at once by a sweeper, if work is left). */
  public Future<Void> release(UUID orderId, String owner) {
    return pool.preparedQuery("UPDATE payments SET lease_owner = NULL, lease_until = NULL WHERE order_id = $1 AND lease_owner = $2")
      .execute(Tuple.of(orderId, owner))
      .mapEmpty();
  }

  /** Leaves the row alone for {@code ms} (a refund the provider refuses: retried slowly, not in a tight loop). */
  public Future<Void> park(UUID orderId, String owner, long ms) {
    return pool.preparedQuery("UPDATE payments SET lease_owner = NULL, lease_until = " + LEASE
        + " WHERE order_id = $1 AND lease_owner = $2")
      .execute(Tuple.of(orderId, owner, ms))
      .mapEmpty();
  }

  /** Orders whose payment has work left and no live lease (crashed workers' rows among them), oldest first. */
  public Future<List<UUID>> workable(int limit) {
    return pool.preparedQuery("SELECT order_id FROM payments WHERE " + HAS_WORK
        + " AND (lease_until IS NULL OR lease_until < now()) ORDER BY created_at LIMIT $1")
      .execute(Tuple.of(limit))
      .map(rows -> {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getUUID("order_id")));
        return ids;
      });
  }

  // ---- the saga: settlements (each in the transaction that also appends its event to the outbox)

  /** PENDING → SUCCEEDED; empty if the payment was not PENDING any more (settled by someone else). */
  public Future<Optional<Work>> succeed(SqlConnection tx, UUID orderId, String chargeId) {
    return settle(tx, orderId, PaymentStatus.SUCCEEDED, "provider_ref = $3, token = NULL", chargeId);
  }

  /** PENDING → FAILED. */
  public Future<Optional<Work>> fail(SqlConnection tx, UUID orderId, FailureReason reason) {
    return settle(tx, orderId, PaymentStatus.FAILED, "failure_reason = $3, token = NULL", reason.wire());
  }

  /** SUCCEEDED → REFUNDED. */
  public Future<Optional<Work>> refunded(SqlConnection tx, UUID orderId, String refundId) {
    return settle(tx, orderId, PaymentStatus.REFUNDED, "refund_ref = $3", refundId);
  }

  private Future<Optional<Work>> settle(SqlConnection tx, UUID orderId, PaymentStatus target, String set, String value) {
    String[] sources = PaymentStatus.sourcesOf(target).stream().map(Enum::name).toArray(String[]::new);
    return tx.preparedQuery("UPDATE payments SET status = $4, " + set + ", updated_at = now()"
        + " WHERE order_id = $1 AND status = ANY($2) RETURNING " + WORK_COLUMNS)
      .execute(Tuple.of(orderId, sources, value, target.name()))
      .map(PaymentStore::work);
  }

  private static Optional<Work> work(RowSet<Row> rows) {
    var it = rows.iterator();
    if (!it.hasNext()) {
      return Optional.empty();
    }
    Row row = it.next();
    OffsetDateTime deadline = row.getOffsetDateTime("deadline");
    return Optional.of(new Work(row.getUUID("id"), row.getUUID("order_id"), row.getUUID("user_id"),
      row.getLong("amount_cents"), row.getString("currency"), PaymentStatus.valueOf(row.getString("status")),
      row.getString("token"), deadline == null ? null : deadline.toInstant(), row.getBoolean("cancel_requested"),
      row.getInteger("charge_attempts"), row.getString("provider_ref")));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
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
