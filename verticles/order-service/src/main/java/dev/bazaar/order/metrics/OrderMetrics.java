package dev.bazaar.order.metrics;

import dev.bazaar.order.domain.CancellationReason;
import dev.bazaar.order.domain.OrderStatus;
import dev.bazaar.platform.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * order-service's meters (docs/OPERATIONS.md):
 * <ul>
 *   <li>{@code bazaar_saga_outcomes_total{outcome, reason}}: orders the saga settled, confirmed
 *       ({@code payment_succeeded}) or cancelled ({@code out_of_stock}, {@code payment_failed},
 *       {@code deadline_expired}), counted once the transaction that moved the order committed (a
 *       duplicate or stale event moves nothing and counts nothing);</li>
 *   <li>{@code bazaar_saga_payments_after_cancel_total}: payments that succeeded for an order
 *       already cancelled, announced again so that they are refunded;</li>
 *   <li>{@code bazaar_orders{status}}: orders by status, counted by the database every
 *       {@link #SAMPLE_EVERY} (every instance reports the same numbers: take the max).</li>
 * </ul>
 */
public final class OrderMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(OrderMetrics.class);
  public static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
  private static final String COUNT_BY_STATUS = "SELECT status, count(*) FROM orders GROUP BY status";
  private static final CancellationReason[] SAGA_CANCELLATIONS = {
    CancellationReason.OUT_OF_STOCK, CancellationReason.PAYMENT_FAILED, CancellationReason.DEADLINE_EXPIRED};

  private final Counter confirmed;
  private final Map<CancellationReason, Counter> cancelled = new EnumMap<>(CancellationReason.class);
  private final Counter paidAfterCancel;
  private final Map<OrderStatus, AtomicLong> orders = new EnumMap<>(OrderStatus.class);
  private long timer = -1;
  private boolean sampling;

  public OrderMetrics(MeterRegistry registry) {
    confirmed = outcome(registry, "confirmed", "payment_succeeded");
    for (CancellationReason reason : SAGA_CANCELLATIONS) {
      cancelled.put(reason, outcome(registry, "cancelled", reason.code()));
    }
    paidAfterCancel = Counter.builder("bazaar.saga.payments.after.cancel")
      .description("Payments that succeeded for an order already cancelled (refunded)").register(registry);
    for (OrderStatus status : OrderStatus.values()) {
      orders.put(status, Metrics.gauge(registry, "bazaar.orders", "Orders by status (the database's count)",
        Tags.of("status", status.name())));
    }
  }

  /** On the registry Vert.x reports to. */
  public static OrderMetrics create() {
    return new OrderMetrics(Metrics.registry());
  }

  private static Counter outcome(MeterRegistry registry, String outcome, String reason) {
    return Counter.builder("bazaar.saga.outcomes").description("Orders settled by the saga, by outcome and reason")
      .tag("outcome", outcome).tag("reason", reason).register(registry);
  }

  /** The order was moved PENDING → CONFIRMED in {@code tx}: counted if {@code tx} commits. */
  public void confirmed(SqlConnection tx) {
    afterCommit(tx, confirmed);
  }

  /** The order was moved PENDING → CANCELLED for {@code reason} in {@code tx}: counted if {@code tx} commits. */
  public void cancelled(SqlConnection tx, CancellationReason reason) {
    Counter counter = cancelled.get(reason);
    if (counter != null) {
      afterCommit(tx, counter);
    }
  }

  /** {@code count} orders were cancelled for {@code reason} by a transaction that has committed. */
  public void cancelled(CancellationReason reason, int count) {
    Counter counter = cancelled.get(reason);
    if (counter != null && count > 0) {
      counter.increment(count);
    }
  }

  /** A payment succeeded for an order already cancelled; the cancellation goes out again in {@code tx}. */
  public void paidAfterCancel(SqlConnection tx) {
    afterCommit(tx, paidAfterCancel);
  }

  private static void afterCommit(SqlConnection tx, Counter counter) {
    Transaction transaction = tx.transaction();
    if (transaction == null) {
      counter.increment();
    } else {
      transaction.completion().onSuccess(v -> counter.increment());
    }
  }

  /** Counts orders by status now, then every {@link #SAMPLE_EVERY} (on the calling context) until {@link #stop}. */
  public void start(Vertx vertx, Pool pool) {
    timer = vertx.setPeriodic(0, SAMPLE_EVERY.toMillis(), id -> {
      if (!sampling) {
        sampling = true;
        countOrders(pool).onComplete(ar -> sampling = false);
      }
    });
  }

  public void stop(Vertx vertx) {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** One count of orders by status into {@code bazaar_orders} (a status without orders is 0). */
  public Future<Void> countOrders(Pool pool) {
    return pool.query(COUNT_BY_STATUS).execute()
      .timeout(SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS)
      .onSuccess(rows -> {
        Map<String, Long> counts = new HashMap<>();
        for (Row row : rows) {
          counts.put(row.getString(0), row.getLong(1));
        }
        orders.forEach((status, value) -> value.set(counts.getOrDefault(status.name(), 0L)));
      })
      .onFailure(err -> LOG.debug("counting orders by status failed: {}", err.toString()))
      .mapEmpty();
  }
}
