package dev.bazaar.inventory.events;

import dev.bazaar.inventory.api.BusRequests;
import dev.bazaar.platform.validation.InvalidInputException;
import dev.bazaar.inventory.domain.ReservationOutcome;
import dev.bazaar.inventory.domain.ReservationRequest;
import dev.bazaar.platform.http.WholeNumbers;
import dev.bazaar.inventory.store.ReservationStore;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.Outbox;
import dev.bazaar.platform.messaging.PoisonEventException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.OptionalLong;
import java.util.UUID;

/**
 * inventory-service's part of the order saga: consumes {@code order-events} (group
 * {@code kafka.consumerGroup}) through an {@link IdempotentConsumer}, so each event's effect, its
 * answer in the outbox and its processed-event mark commit in one transaction:
 * <ul>
 *   <li>{@code OrderCreated} → every line reserved or none → {@code StockReserved} or
 *       {@code StockRejected} on {@code inventory-events}. The same event redelivered changes and
 *       emits nothing (processed_events); the same order announced again under another event id takes
 *       nothing more and repeats the first answer (a new event naming the lines held), as the event-bus
 *       reserve does. An order released before its reserve arrived takes nothing and emits nothing: it
 *       is already cancelled, nobody waits for an answer.</li>
 *   <li>{@code OrderCancelled} → what the order holds (reserved or committed) back to stock, once →
 *       {@code StockReleased} when something was returned.</li>
 *   <li>{@code OrderConfirmed} → the reservation is committed (the units are sold); emits nothing.</li>
 * </ul>
 * A payload that breaks the contract (no UUID order id, no lines…) is a {@link PoisonEventException}:
 * nothing changes and the record goes to {@code order-events.dlq}.
 *
 * <p>The consumer's handler sees the envelope only, not the record's headers, so the rows it
 * appends carry no {@code traceparent} (null).
 */
public final class OrderEventsConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(OrderEventsConsumer.class);

  private final ReservationStore reservations;

  public OrderEventsConsumer(ReservationStore reservations) {
    this.reservations = reservations;
  }

  public IdempotentConsumer build(Vertx vertx, Pool pool, KafkaSettings kafka) {
    return IdempotentConsumer.builder(vertx, pool, kafka)
      .topics(SagaEvents.ORDER_EVENTS)
      .on(SagaEvents.ORDER_CREATED, this::orderCreated)
      .on(SagaEvents.ORDER_CANCELLED, this::orderCancelled)
      .on(SagaEvents.ORDER_CONFIRMED, this::orderConfirmed)
      .build();
  }

  Future<Void> orderCreated(SqlConnection tx, EventEnvelope event) {
    JsonObject payload = event.payload();
    ReservationRequest request;
    try {
      request = BusRequests.reservation(new JsonObject()
        .put("orderId", event.orderId())
        .put("lines", payload.getValue("items")));
    } catch (InvalidInputException e) {
      throw new PoisonEventException("OrderCreated: " + e.getMessage().replace("lines", "items"));
    }
    String userId = text(payload, "userId");
    long totalCents = whole(payload, "totalCents");
    String currency = text(payload, "currency");
    // opaque here: sealed by order-service for payment-service, forwarded as it came
    String sealedPaymentToken = text(payload, "sealedPaymentToken");
    return reservations.reserve(tx, request).compose(outcome -> {
      if (outcome.status() == ReservationOutcome.Status.RESERVED) {
        // what the order holds (a repeat of the order answers with the first reservation, not its own lines)
        return reservations.lines(tx, request.orderId()).compose(held -> {
          JsonArray lines = new JsonArray();
          held.forEach(line -> lines.add(new JsonObject()
            .put("productId", line.productId().toString()).put("quantity", line.quantity())));
          return emit(tx, SagaEvents.STOCK_RESERVED, event.orderId(), new JsonObject()
            .put("userId", userId).put("totalCents", totalCents).put("currency", currency)
            .put("sealedPaymentToken", sealedPaymentToken).put("lines", lines));
        });
      }
      if (outcome.reason() == ReservationOutcome.RejectReason.INSUFFICIENT_STOCK) {
        return emit(tx, SagaEvents.STOCK_REJECTED, event.orderId(), new JsonObject()
          .put("userId", userId).put("shortProductId", outcome.shortProductId().toString()));
      }
      LOG.info("order {} was released before its reserve arrived: nothing reserved, nothing emitted", event.orderId());
      return Future.succeededFuture();
    });
  }

  Future<Void> orderCancelled(SqlConnection tx, EventEnvelope event) {
    UUID orderId = orderId(event);
    // the units go back whatever else the payload lacks: a compensation is never dead-lettered for an echo field
    Object userId = event.payload().getValue("userId");
    if (!(userId instanceof String)) {
      LOG.warn("OrderCancelled for order {} has no userId: releasing anyway", orderId);
    }
    return reservations.release(tx, orderId).compose(released -> released
      ? emit(tx, SagaEvents.STOCK_RELEASED, event.orderId(), new JsonObject().put("userId", userId instanceof String ? userId : null))
      : Future.succeededFuture());
  }

  Future<Void> orderConfirmed(SqlConnection tx, EventEnvelope event) {
    UUID orderId = orderId(event);
    return reservations.commit(tx, orderId).map(result -> {
      switch (result) {
        case COMMITTED -> { }
        // the saga confirms only reserved orders: anything else is worth a look, not a retry
        default -> LOG.warn("OrderConfirmed for order {} whose reservation is {}: nothing committed", orderId, result);
      }
      return null;
    });
  }

  private static Future<Void> emit(SqlConnection tx, String type, String orderId, JsonObject payload) {
    return Outbox.append(tx, SagaEvents.INVENTORY_EVENTS, EventEnvelope.create(type, orderId, payload));
  }

  private static UUID orderId(EventEnvelope event) {
    try {
      return BusRequests.orderId(new JsonObject().put("orderId", event.orderId()));
    } catch (InvalidInputException e) {
      throw new PoisonEventException(event.type() + ": orderId must be a UUID");
    }
  }

  private static String text(JsonObject payload, String field) {
    if (!(payload.getValue(field) instanceof String value) || value.isBlank()) {
      throw new PoisonEventException("payload." + field + " must be a non-empty string");
    }
    return value;
  }

  private static long whole(JsonObject payload, String field) {
    OptionalLong value = WholeNumbers.of(payload.getValue(field));
    if (value.isEmpty() || value.getAsLong() < 0) {
      throw new PoisonEventException("payload." + field + " must be a whole number >= 0");
    }
    return value.getAsLong();
  }
}
