package dev.bazaar.order.events;

import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.order.OrderServiceConfig.SagaSettings;
import dev.bazaar.order.domain.CancellationReason;
import dev.bazaar.order.domain.OrderStatus;
import dev.bazaar.order.metrics.OrderMetrics;
import dev.bazaar.platform.messaging.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * DESIGN §4.6: every {@link SagaSettings#sweepIntervalMs()}, cancels PENDING orders more than
 * {@link SagaSettings#graceSeconds()} past their deadline ({@code deadline_expired}) and announces
 * each with {@code OrderCancelled}, in one transaction per batch of at most
 * {@link SagaSettings#sweepBatchSize()}. A round runs only when the saga's consumer is caught up
 * (partitions assigned, no lag): after order-service itself restarts, or while Kafka is down, the
 * outcome of an overdue order may be waiting unread, and cancelling it would turn our own outage
 * into a lost sale. Rows are claimed
 * {@code FOR UPDATE SKIP LOCKED} and updated only while still PENDING, so several instances (and an
 * outcome event arriving at the same moment) never cancel an order twice or cancel a settled one.
 * A full batch is followed at once by another; the next round is scheduled only when one ends, so
 * rounds never overlap.
 */
public final class DeadlineSweeper implements ServiceRuntime.Background {
  private static final Logger LOG = LoggerFactory.getLogger(DeadlineSweeper.class);
  private static final String SWEEP = "WITH due AS ("
    + "SELECT id FROM orders WHERE status = 'PENDING' AND deadline + $3::int * interval '1 second' <= now() "
    + "ORDER BY deadline LIMIT $1 FOR UPDATE SKIP LOCKED) "
    + "UPDATE orders o SET status = 'CANCELLED', reason = $2, updated_at = now(), version = o.version + 1 "
    + "FROM due WHERE o.id = due.id AND o.status = 'PENDING' RETURNING o.id, o.user_id";

  private final Vertx vertx;
  private final Pool pool;
  private final SagaSettings settings;
  private final OrderMetrics metrics;
  private final Supplier<Future<Boolean>> caughtUp;
  private long timer = -1;
  private boolean stopped;
  private Future<Integer> round = Future.succeededFuture(0);

  /** {@code caughtUp}: whether every outcome event already in Kafka has been processed. */
  public DeadlineSweeper(Vertx vertx, Pool pool, SagaSettings settings, OrderMetrics metrics, Supplier<Future<Boolean>> caughtUp) {
    this.vertx = vertx;
    this.caughtUp = caughtUp;
    this.pool = pool;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Starts sweeping (call on the owning verticle's context). */
  @Override
  public void start() {
    schedule(settings.sweepIntervalMs());
  }

  /** No round starts after this; completes when the one in flight (if any) has ended. */
  @Override
  public Future<Void> stop() {
    stopped = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return round.transform(ar -> Future.succeededFuture());
  }

  private void schedule(long delayMs) {
    if (stopped) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, delayMs), id -> {
      timer = -1;
      round = whenCaughtUp().onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("deadline sweep failed, next in {} ms: {}", settings.sweepIntervalMs(), ar.cause().toString());
          schedule(settings.sweepIntervalMs());
        } else {
          // a full batch: more may be due
          schedule(ar.result() >= settings.sweepBatchSize() ? 1 : settings.sweepIntervalMs());
        }
      });
    });
  }

  private Future<Integer> whenCaughtUp() {
    return caughtUp.get().compose(yes -> yes ? sweepOnce() : Future.succeededFuture(0));
  }

  /** One batch, one transaction: how many orders it cancelled. */
  public Future<Integer> sweepOnce() {
    String reason = CancellationReason.DEADLINE_EXPIRED.code();
    return pool.withTransaction(tx -> tx.preparedQuery(SWEEP)
      .execute(Tuple.of(settings.sweepBatchSize(), reason, settings.graceSeconds()))
      .compose(rows -> {
        Future<Void> appended = Future.succeededFuture();
        for (Row row : rows) {
          appended = appended.compose(v -> Outbox.append(tx, row.getUUID("id"), OrderEvents.orderCancelled(
            row.getUUID("user_id"), CancellationReason.DEADLINE_EXPIRED, OrderStatus.PENDING), null));
        }
        int cancelled = rows.rowCount();
        return appended.map(v -> cancelled);
      }))
      .onSuccess(cancelled -> {
        metrics.cancelled(CancellationReason.DEADLINE_EXPIRED, cancelled);
        if (cancelled > 0) {
          LOG.info("cancelled {} order(s) past their deadline", cancelled);
        }
      });
  }
}
