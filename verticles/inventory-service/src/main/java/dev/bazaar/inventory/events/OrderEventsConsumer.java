package dev.bazaar.inventory.events;

import dev.bazaar.inventory.domain.ReservationLine;
import dev.bazaar.inventory.domain.ReservationOutcome;
import dev.bazaar.inventory.domain.ReservationRequest;
import dev.bazaar.inventory.store.ReservationStore;
import dev.bazaar.platform.events.OrderCancelled;
import dev.bazaar.platform.events.OrderConfirmed;
import dev.bazaar.platform.events.OrderCreated;
import dev.bazaar.platform.events.Received;
import dev.bazaar.platform.events.StockRejected;
import dev.bazaar.platform.events.StockReleased;
import dev.bazaar.platform.events.StockReserved;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.Outbox;
import dev.bazaar.platform.messaging.PoisonEventException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
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
 * An event that breaks the contract (no UUID order id, no lines, a quantity out of bounds…) is a
 * {@link PoisonEventException}: nothing changes and the record goes to {@code order-events.dlq}.
 * The handlers call the domain (the store) directly, in the consumer's transaction.
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
      .on(OrderCreated.class, this::orderCreated)
      .on(OrderCancelled.class, this::orderCancelled)
      .on(OrderConfirmed.class, this::orderConfirmed)
      .build();
  }

  Future<Void> orderCreated(SqlConnection tx, Received<OrderCreated> event) {
    OrderCreated created = event.event();
    UUID orderId = event.orderId();
    ReservationRequest request = request(orderId, created.items());
    return reservations.reserve(tx, request).compose(outcome -> {
      if (outcome.status() == ReservationOutcome.Status.RESERVED) {
        // what the order holds (a repeat of the order answers with the first reservation, not its own lines)
        // the sealed token is opaque here: sealed by order-service for payment-service, forwarded as it came,
        // and so is the deadline (payment-service reads nothing else of OrderCreated)
        return reservations.lines(tx, orderId).compose(held -> Outbox.append(tx, orderId, new StockReserved(
          created.userId(), created.totalCents(), created.currency(), created.sealedPaymentToken(),
          held.stream().map(line -> new StockReserved.Line(line.productId(), line.quantity())).toList(), created.deadline())));
      }
      if (outcome.reason() == ReservationOutcome.RejectReason.INSUFFICIENT_STOCK) {
        return Outbox.append(tx, orderId, new StockRejected(created.userId(), outcome.shortProductId()));
      }
      LOG.info("order {} was released before its reserve arrived: nothing reserved, nothing emitted", orderId);
      return Future.succeededFuture();
    });
  }

  Future<Void> orderCancelled(SqlConnection tx, Received<OrderCancelled> event) {
    UUID orderId = event.orderId();
    // the units go back whatever else the payload lacks: a compensation is never dead-lettered for an echo field
    UUID userId = event.event().userId();
    if (userId == null) {
      LOG.warn("OrderCancelled for order {} has no userId: releasing anyway", orderId);
    }
    return reservations.release(tx, orderId).compose(released -> released
      ? Outbox.append(tx, orderId, new StockReleased(userId))
      : Future.succeededFuture());
  }

  Future<Void> orderConfirmed(SqlConnection tx, Received<OrderConfirmed> event) {
    UUID orderId = event.orderId();
    return reservations.commit(tx, orderId).map(result -> {
      switch (result) {
        case COMMITTED -> { }
        // the saga confirms only reserved orders: anything else is worth a look, not a retry
        default -> LOG.warn("OrderConfirmed for order {} whose reservation is {}: nothing committed", orderId, result);
      }
      return null;
    });
  }

  /** The order's items as a reservation: 1 to {@value ReservationRequest#MAX_LINES} lines, each of 1 to {@value ReservationLine#MAX_QUANTITY} units. */
  private static ReservationRequest request(UUID orderId, List<OrderCreated.Item> items) {
    if (items.isEmpty() || items.size() > ReservationRequest.MAX_LINES) {
      throw new PoisonEventException("OrderCreated: items must be an array of 1 to " + ReservationRequest.MAX_LINES + " items");
    }
    if (items.stream().anyMatch(item -> item.quantity() < 1 || item.quantity() > ReservationLine.MAX_QUANTITY)) {
      throw new PoisonEventException("OrderCreated: every item needs a quantity, a whole number from 1 to " + ReservationLine.MAX_QUANTITY);
    }
    return new ReservationRequest(orderId, items.stream().map(item -> new ReservationLine(item.productId(), item.quantity())).toList());
  }
}
