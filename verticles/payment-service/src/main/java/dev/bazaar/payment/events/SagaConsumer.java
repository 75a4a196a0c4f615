package dev.bazaar.payment.events;

import dev.bazaar.payment.charging.Charger;
import dev.bazaar.payment.charging.ChargingSettings;
import dev.bazaar.payment.domain.ChargeRequest;
import dev.bazaar.payment.store.OrderFactsStore;
import dev.bazaar.payment.store.PaymentStore;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.PoisonEventException;
import dev.bazaar.platform.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * What payment-service does with the saga's events (docs/EVENTS.md), each applied once, in the
 * consumer's transaction, which never calls the provider: it records what is to be done and the
 * {@link Charger} does it once that transaction committed.
 * <ul>
 *   <li>{@code OrderCreated} (order-events): remember the order's deadline.</li>
 *   <li>{@code StockReserved} (inventory-events): open the card token order-service sealed for us
 *       (bound to the order id; one that does not open is a poison event), record the payment PENDING
 *       (one per order), unless the order was cancelled already; then charge.</li>
 *   <li>{@code OrderCancelled} (order-events): leave a tombstone (a later StockReserved charges
 *       nothing) and mark the payment, if any, to be cancelled: not charged if no call was made yet,
 *       refunded if charged.</li>
 * </ul>
 * The other types of both topics are ignored. The handlers of one order lock its {@code order_facts}
 * row first, so an OrderCancelled and a StockReserved racing on two topics are applied one after the other.
 */
public final class SagaConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(SagaConsumer.class);
  public static final String ORDER_EVENTS = "order-events";
  public static final String INVENTORY_EVENTS = "inventory-events";

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
      .topics(INVENTORY_EVENTS, ORDER_EVENTS)
      .on("OrderCreated", this::orderCreated)
      .on("StockReserved", this::stockReserved)
      .on("OrderCancelled", this::orderCancelled)
      .ignore("OrderConfirmed", "StockRejected", "StockReleased")
      .build();
  }

  Future<Void> orderCreated(SqlConnection tx, EventEnvelope event) {
    UUID orderId = orderId(event);
    Object raw = event.payload().getValue("deadline");
    if (raw == null) {
      return Future.succeededFuture(); // nothing to learn: StockReserved will use the default deadline
    }
    Instant deadline = instant(raw, "deadline");
    return facts.deadline(tx, orderId, deadline).compose(v -> payments.setDeadline(tx, orderId, deadline));
  }

  Future<Void> stockReserved(SqlConnection tx, EventEnvelope event) {
    UUID orderId = orderId(event);
    JsonObject payload = event.payload();
    UUID userId = uuid(payload.getValue("userId"), "userId");
    long totalCents = whole(payload.getValue("totalCents"), "totalCents");
    String currency = text(payload.getValue("currency"), "currency");
    String token = unseal(text(payload.getValue("sealedPaymentToken"), "sealedPaymentToken"), orderId);
    return facts.lock(tx, orderId).compose(known -> {
      if (known.cancelled()) {
        LOG.info("order {} was cancelled before its stock was reserved: nothing is charged", orderId);
        return Future.succeededFuture();
      }
      ChargeRequest request;
      try {
        request = new ChargeRequest(orderId, userId, totalCents, currency, token,
          ChargeRequest.deadline(known.deadline(), event.occurredAt(), settings.defaultDeadlineMs()));
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

  Future<Void> orderCancelled(SqlConnection tx, EventEnvelope event) {
    UUID orderId = orderId(event);
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

  // ---- payload fields: a malformed one can never be applied (dead-lettered)

  private static UUID orderId(EventEnvelope event) {
    return uuid(event.orderId(), "orderId");
  }

  private static UUID uuid(Object value, String field) {
    String text = text(value, field);
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equalsIgnoreCase(text)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // below
    }
    throw new PoisonEventException(field + " is not a UUID");
  }

  private String unseal(String sealed, UUID orderId) {
    try {
      return paymentTokenSeal.unseal(sealed, orderId.toString());
    } catch (IllegalArgumentException e) {
      throw new PoisonEventException("StockReserved: sealedPaymentToken: " + e.getMessage());
    }
  }

  private static String text(Object value, String field) {
    if (!(value instanceof String s) || s.isBlank()) {
      throw new PoisonEventException(field + " must be a non-empty string");
    }
    return s;
  }

  private static long whole(Object value, String field) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new PoisonEventException(field + " must be an integer");
  }

  private static Instant instant(Object value, String field) {
    try {
      return Instant.parse(text(value, field));
    } catch (DateTimeParseException e) {
      throw new PoisonEventException(field + " is not an ISO-8601 instant");
    }
  }
}
