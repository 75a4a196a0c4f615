package dev.bazaar.payment.charging;

import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.payment.domain.FailureReason;
import dev.bazaar.payment.domain.PaymentStatus;
import dev.bazaar.payment.events.PaymentEvents;
import dev.bazaar.payment.client.ChargeReply;
import dev.bazaar.payment.client.ProviderClient;
import dev.bazaar.payment.client.ProviderRejectedException;
import dev.bazaar.payment.store.OrderFactsStore;
import dev.bazaar.payment.store.PaymentStore.Work;
import dev.bazaar.payment.store.PaymentStore;
import dev.bazaar.platform.events.PaymentEvent;
import dev.bazaar.platform.events.PaymentRefunded;
import dev.bazaar.platform.events.PaymentSucceeded;
import dev.bazaar.platform.messaging.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The charging step of the saga, outside any database transaction. For one order at a time per
 * payment row (a lease, renewed before every provider call, so that instances never work on the
 * same row at once):
 * <ul>
 *   <li>PENDING: charge the token at the provider, idempotency key = order id, retrying transient
 *       failures (5xx, timeouts, breaker open) with exponential backoff and full jitter until the
 *       order's deadline (and for at least {@link #MIN_RETRY_WINDOW_MS}, however late the order
 *       arrived); then, in one transaction, SUCCEEDED + PaymentSucceeded, or FAILED +
 *       PaymentFailed (declined | provider_unavailable past the deadline | cancelled when the order
 *       was cancelled before any call was made). A charge whose order was cancelled meanwhile is
 *       completed, then refunded: only the provider knows whether an earlier call took the money.</li>
 *   <li>SUCCEEDED with a cancellation: refund at the provider (idempotent per charge), retrying
 *       until it is done; then REFUNDED + PaymentRefunded.</li>
 * </ul>
 * Work starts when the consumer's transaction that made it commits ({@link #kick}), and a sweeper
 * picks up every row with work left and no live lease (a crashed instance's, a kick that was lost).
 */
public final class Charger implements ServiceRuntime.Background {
  private static final Logger LOG = LoggerFactory.getLogger(Charger.class);
  private static final long PARK_MS = 10 * 60_000L;
  /** However late an order reaches payment, the provider is tried for at least this long. */
  static final long MIN_RETRY_WINDOW_MS = 10_000;
  private static final long PURGE_EVERY_MS = 10 * 60_000L;

  private final Vertx vertx;
  private final Pool pool;
  private final PaymentStore payments;
  private final OrderFactsStore facts;
  private final ProviderClient provider;
  private final ChargingSettings settings;
  private final String owner = "charger-" + UUID.randomUUID();
  private final Map<UUID, Future<Void>> inFlight = new ConcurrentHashMap<>();
  private final Set<UUID> kickedAgain = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;
  private long sweepTimer = -1;
  private long nextPurgeAt;

  public Charger(Vertx vertx, Pool pool, PaymentStore payments, OrderFactsStore facts, ProviderClient provider,
                 ChargingSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.payments = payments;
    this.facts = facts;
    this.provider = provider;
    this.settings = settings;
  }

  /** Starts the sweeper (its first round at once: rows left by a previous run). */
  @Override
  public void start() {
    sweepTimer = vertx.setPeriodic(1, settings.sweepIntervalMs(), id -> sweep());
  }

  /** Stops taking work; lets the workers reach their next step (bounded), which releases their leases. */
  @Override
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(sweepTimer);
    List<Future<Void>> running = new ArrayList<>(inFlight.values());
    return Future.join(running).<Void>mapEmpty().otherwiseEmpty()
      .timeout(settings.leaseMs(), TimeUnit.MILLISECONDS).otherwiseEmpty();
  }

  /** Payments being worked on by this instance. */
  public int inFlight() {
    return inFlight.size();
  }

  /** Work on the order's payment now, if this instance has room (else the sweeper will). */
  public void kick(UUID orderId) {
    if (stopped) {
      return;
    }
    if (inFlight.containsKey(orderId)) {
      kickedAgain.add(orderId);
      return;
    }
    if (inFlight.size() >= settings.maxConcurrent()) {
      return;
    }
    Future<Void> work = work(orderId);
    inFlight.put(orderId, work);
    work.onComplete(ar -> {
      inFlight.remove(orderId);
      if (ar.failed()) {
        LOG.warn("payment of order {}: {} (the sweeper will take it up again)", orderId, ar.cause().toString());
      }
      if (kickedAgain.remove(orderId)) {
        kick(orderId);
      }
    });
  }

  private void sweep() {
    if (stopped) {
      return;
    }
    int room = settings.maxConcurrent() - inFlight.size();
    if (room > 0) {
      payments.workable(room)
        .onSuccess(ids -> ids.forEach(this::kick))
        .onFailure(err -> LOG.debug("sweep failed: {}", err.toString()));
    }
    long now = System.currentTimeMillis();
    if (now >= nextPurgeAt) {
      nextPurgeAt = now + PURGE_EVERY_MS;
      facts.purge(settings.factsRetentionHours()).onFailure(err -> LOG.debug("order facts purge failed: {}", err.toString()));
    }
  }

  private Future<Void> work(UUID orderId) {
    return payments.claim(orderId, owner, settings.leaseMs())
      .compose(claimed -> claimed.map(this::next).orElseGet(Future::succeededFuture))
      .eventually(() -> payments.release(orderId, owner));
  }

  /** What the row needs now. */
  private Future<Void> next(Work work) {
    if (work.status() == PaymentStatus.PENDING) {
      return attemptCharge(work, 1, System.currentTimeMillis()); // the claim counted this first call
    }
    if (work.refundOwed()) {
      return refund(work.orderId(), 1);
    }
    return Future.succeededFuture();
  }

  // ---- charge

  private Future<Void> charge(UUID orderId, int attempt, long startedAt) {
    if (stopped) {
      return Future.succeededFuture();
    }
    return payments.renew(orderId, owner, settings.leaseMs(), true).compose(renewed -> renewed.isEmpty()
      ? Future.succeededFuture() // the lease was lost: someone else has the row
      : attemptCharge(renewed.get(), attempt, startedAt));
  }

  /** Attempt {@code attempt} at charging, the lease held and the call counted ({@code work} as it is now). */
  private Future<Void> attemptCharge(Work work, int attempt, long startedAt) {
    UUID orderId = work.orderId();
    if (work.status() != PaymentStatus.PENDING) {
      return next(work);
    }
    if (work.cancelRequested() && work.chargeAttempts() == 0) {
      return settle(work, tx -> payments.fail(tx, orderId, FailureReason.CANCELLED),
        settled -> PaymentEvents.failed(settled.userId(), FailureReason.CANCELLED));
    }
    Instant deadline = work.deadline() == null ? Instant.EPOCH : work.deadline();
    // the deadline bounds how long an unavailable provider is retried, not our own delays: an
    // order that reached us late (a restart of ours, of Kafka, of PostgreSQL) is still tried for
    // MIN_RETRY_WINDOW_MS (a breaker open at that moment must not fail it outright)
    boolean windowOver = attempt > 1 && System.currentTimeMillis() - startedAt >= MIN_RETRY_WINDOW_MS;
    if (windowOver && !Instant.now().isBefore(deadline)) {
      LOG.warn("payment of order {}: provider unavailable until the order's deadline {} ({} attempts)", orderId,
        deadline, work.chargeAttempts() - 1);
      return gaveUp(work);
    }
    return provider.charge(orderId.toString(), work.token(), work.amountCents(), work.currency())
      .compose(reply -> outcome(work, reply))
      .recover(err -> {
        long giveUpAt = Math.max(deadline.toEpochMilli(), startedAt + MIN_RETRY_WINDOW_MS);
        long delay = Math.max(1, Math.min(provider.retryDelayMs(attempt), giveUpAt - System.currentTimeMillis()));
        if (attempt == 1 || attempt % 10 == 0) {
          LOG.info("payment of order {}: attempt {} failed ({}), retrying in {} ms until {}", orderId, attempt,
            err.getMessage(), delay, deadline);
        }
        return vertx.timer(delay).compose(t -> charge(orderId, attempt + 1, startedAt));
      });
  }

  /**
   * Past the deadline. An attempt that timed out may still have charged: if the provider can say so
   * (one lookup by key), the payment succeeded (and order-service, whose order expired, cancels it:
   * it is then refunded); otherwise PaymentFailed provider_unavailable.
   */
  private Future<Void> gaveUp(Work work) {
    UUID orderId = work.orderId();
    Future<Optional<String>> charged = work.chargeAttempts() <= 1
      ? Future.succeededFuture(Optional.empty())
      : provider.chargeByKey(orderId.toString())
        .map(found -> found.filter(charge -> "succeeded".equals(charge.getString("status"))).map(charge -> charge.getString("id")))
        .otherwise(Optional.empty());
    return charged.compose(chargeId -> chargeId.isPresent()
      ? succeeded(work, chargeId.get())
      : settle(work, tx -> payments.fail(tx, orderId, FailureReason.PROVIDER_UNAVAILABLE),
        settled -> PaymentEvents.failed(settled.userId(), FailureReason.PROVIDER_UNAVAILABLE)));
  }

  private Future<Void> outcome(Work work, ChargeReply reply) {
    UUID orderId = work.orderId();
    if (reply instanceof ChargeReply.Charged charged) {
      return succeeded(work, charged.chargeId());
    }
    if (reply instanceof ChargeReply.Declined declined) {
      LOG.info("payment of order {}: declined ({})", orderId, declined.detail());
      return settle(work, tx -> payments.fail(tx, orderId, FailureReason.DECLINED),
        settled -> PaymentEvents.failed(settled.userId(), FailureReason.DECLINED));
    }
    // 409: our key (the order id) was used for a different request: whatever it charged is this order's charge
    LOG.error("payment of order {}: the provider has a different charge under this order's key", orderId);
    return provider.chargeByKey(orderId.toString()).compose(found -> {
      String chargeId = found.filter(charge -> "succeeded".equals(charge.getString("status")))
        .map(charge -> charge.getString("id")).orElse(null);
      return chargeId != null
        ? succeeded(work, chargeId)
        : settle(work, tx -> payments.fail(tx, orderId, FailureReason.DECLINED),
          settled -> PaymentEvents.failed(settled.userId(), FailureReason.DECLINED));
    });
  }

  private Future<Void> succeeded(Work work, String chargeId) {
    UUID orderId = work.orderId();
    // the settled row says whether a cancellation came meanwhile (a refund is owed); settled by
    // another worker already: ask the row as it is now
    return settled(work, tx -> payments.succeed(tx, orderId, chargeId),
      settled -> new PaymentSucceeded(settled.userId(), settled.id(), settled.amountCents(), settled.currency()))
      .compose(settled -> settled.isPresent()
        ? Future.succeededFuture(settled)
        : payments.renew(orderId, owner, settings.leaseMs(), false))
      .compose(now -> now.filter(Work::refundOwed).map(w -> refund(orderId, 1)).orElseGet(Future::succeededFuture));
  }

  // ---- refund

  private Future<Void> refund(UUID orderId, int attempt) {
    if (stopped) {
      return Future.succeededFuture();
    }
    return payments.renew(orderId, owner, settings.leaseMs(), false).compose(renewed -> {
      if (renewed.isEmpty() || !renewed.get().refundOwed()) {
        return Future.succeededFuture();
      }
      Work work = renewed.get();
      return provider.refund(work.providerRef())
        .compose(refundId -> settle(work, tx -> payments.refunded(tx, orderId, refundId),
          settled -> new PaymentRefunded(settled.userId(), settled.id(), settled.amountCents(), settled.currency())))
        .recover(err -> {
          if (err instanceof ProviderRejectedException rejected) {
            LOG.error("payment of order {}: the provider refuses to refund charge {} ({}); retrying in {} ms",
              orderId, work.providerRef(), rejected.getMessage(), PARK_MS);
            return payments.park(orderId, owner, PARK_MS);
          }
          long delay = Math.max(1, provider.retryDelayMs(attempt));
          if (attempt == 1 || attempt % 10 == 0) {
            LOG.info("refund of order {}: attempt {} failed ({}), retrying in {} ms", orderId, attempt, err.getMessage(), delay);
          }
          return vertx.timer(delay).compose(t -> refund(orderId, attempt + 1));
        });
    });
  }

  // ---- settlement: the status change and its event in one transaction

  private Future<Void> settle(Work work, Function<io.vertx.sqlclient.SqlConnection, Future<Optional<Work>>> change,
                              Function<Work, PaymentEvent> event) {
    return settled(work, change, event).mapEmpty();
  }

  /** The change and its event in one transaction: the row as settled, empty if it was settled already. */
  private Future<Optional<Work>> settled(Work work, Function<io.vertx.sqlclient.SqlConnection, Future<Optional<Work>>> change,
                                        Function<Work, PaymentEvent> event) {
    // the trace of the event that made the work (a sweeper's pick-up has none: a new trace then)
    String current = dev.bazaar.platform.tracing.Tracing.traceparent();
    String traceparent = current != null ? current : PaymentEvents.newTraceparent();
    return pool.withTransaction(tx -> change.apply(tx).compose(settled -> {
      if (settled.isEmpty()) {
        return Future.succeededFuture(settled); // settled already (another worker, after a lost lease)
      }
      PaymentEvent announced = event.apply(settled.get());
      LOG.debug("payment of order {}: {}", work.orderId(), announced);
      return Outbox.append(tx, work.orderId(), announced, traceparent).map(settled);
    }));
  }
}
