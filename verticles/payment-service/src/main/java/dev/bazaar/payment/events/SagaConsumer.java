package dev.bazaar.payment.events;

import dev.bazaar.payment.charging.Charger;
import dev.bazaar.payment.charging.ChargingSettings;
import dev.bazaar.payment.domain.ChargeRequest;
import dev.bazaar.payment.store.OrderFactsStore;
import dev.bazaar.payment.store.PaymentStore;
import dev.bazaar.platform.events.OrderCancelled;
import dev.bazaar.platform.events.OrderConfirmed;
import dev.bazaar.platform.events.OrderCreated;
import dev.bazaar.platform.events.Received;
import dev.bazaar.platform.events.StockRejected;
import dev.bazaar.platform.events.StockReleased;
import dev.bazaar.platform.events.StockReserved;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.PoisonEventException;
import dev.bazaar.platform.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * What payment-service does with the saga's events (docs/EVENTS.md), each applied once, in the
 * consumer's transaction, which never calls the provider: it records what is to be done and the
 * {@link Charger} does it once that transaction committed.
 * <ul>
 *   <li>{@code StockReserved} (inventory-events): open the card token order-service sealed for us
 *       (bound to the order id; one that does not open is a poison event), record the payment PENDING
 *       (one per order) with the order's deadline the event carries, unless the order was cancelled
 *       already; then charge. ({@code OrderCreated} is not read: inventory forwards its deadline, so
 *       reading it would cost a transaction per order for nothing.)</li>
 *   <li>{@code OrderCancelled} (order-events): leave a tombstone (a later StockReserved charges
 *       nothing) and mark the payment, if any, to be cancelled: not charged if no call was made yet,
 *       refunded if charged.</li>
 * </ul>
 * The other types of both topics are ignored. The handlers of one order lock its {@code order_facts}
 * row first, so an OrderCancelled and a StockReserved racing on two topics are applied one after the other.
 */
public final class SagaConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(SagaConsumer.class);

  private final PaymentStore payments;
  private final OrderFactsStore facts;
  private final Charger charger;
  private final ChargingSettings settings;
  private final Sealer paymentTokenSeal;

  public SagaConsumer(PaymentStore payments, OrderFactsStore facts, Charger charger, ChargingSettings settings,
                      Sealer paymentTokenSeal) {
    this.payments = payments;
    this.facts = facts;
    this.charger = charger;
    this.settings = settings;
    this.paymentTokenSeal = paymentTokenSeal;
  }

  public IdempotentConsumer build(Vertx vertx, Pool pool, KafkaSettings kafka) {
    return IdempotentConsumer.builder(vertx, pool, kafka)
      .on(StockReserved.class, this::stockReserved)
      .on(OrderCancelled.class, this::orderCancelled)
      .ignore(OrderCreated.class, OrderConfirmed.class, StockRejected.class, StockReleased.class)
      .build();
  }

  Future<Void> stockReserved(SqlConnection tx, Received<StockReserved> event) {
    UUID orderId = event.orderId();
    StockReserved reserved = event.event();
    String token = unseal(reserved.sealedPaymentToken(), orderId);
    return facts.lock(tx, orderId).compose(known -> {
      if (known.cancelled()) {
        LOG.info("order {} was cancelled before its stock was reserved: nothing is charged", orderId);
        return Future.succeededFuture();
      }
      ChargeRequest request;
      try {
        request = new ChargeRequest(orderId, reserved.userId(), reserved.totalCents(), reserved.currency(), token,
          ChargeRequest.deadline(reserved.deadline() != null ? reserved.deadline() : known.deadline(), event.occurredAt(),
            settings.defaultDeadlineMs()));
      } catch (IllegalArgumentException e) {
        throw new PoisonEventException("StockReserved: " + e.getMessage());
      }
      return payments.recordIntent(tx, UUID.randomUUID(), request)
        .onSuccess(recorded -> {
          if (recorded) {
            afterCommit(tx, orderId);
          }
        })
        .mapEmpty();
    });
  }

  Future<Void> orderCancelled(SqlConnection tx, Received<OrderCancelled> event) {
    UUID orderId = event.orderId();
    return facts.cancelled(tx, orderId)
      .compose(v -> payments.requestCancel(tx, orderId))
      .onSuccess(marked -> {
        if (marked) {
          afterCommit(tx, orderId);
        }
      })
      .mapEmpty();
  }

  /** The charger starts once the transaction committed (it would not see the row before); the sweeper is the safety net. */
  private void afterCommit(SqlConnection tx, UUID orderId) {
    Transaction transaction = tx.transaction();
    if (transaction != null) {
      transaction.completion().onSuccess(v -> charger.kick(orderId));
    }
  }

  /** The card token order-service sealed for us, bound to the order: one that does not open is dead-lettered. */
  private String unseal(String sealed, UUID orderId) {
    try {
      return paymentTokenSeal.unseal(sealed, orderId.toString());
    } catch (IllegalArgumentException e) {
      throw new PoisonEventException("StockReserved: sealedPaymentToken: " + e.getMessage());
    }
  }
}
