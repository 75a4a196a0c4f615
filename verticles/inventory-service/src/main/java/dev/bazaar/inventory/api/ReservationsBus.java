package dev.bazaar.inventory.api;

import dev.bazaar.platform.eventbus.BusAnswers;
import dev.bazaar.inventory.domain.ReservationOutcome;
import dev.bazaar.inventory.domain.ReservationRequest;
import dev.bazaar.inventory.store.ReservationStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * Stock reservations per order over the event bus; the order saga drives the same operations.
 * All three are idempotent per order id.
 *
 * <pre>
 * inventory-service.reservations.reserve
 *   request {"orderId", "lines": [{"productId", "quantity"}, ...]}   1 to 100 lines, quantity 1..1 000 000;
 *           lines of one product are added up
 *   reply   {"orderId", "status": "RESERVED"}
 *         | {"orderId", "status": "REJECTED", "reason": "INSUFFICIENT_STOCK", "shortProductId"}
 *         | {"orderId", "status": "REJECTED", "reason": "RELEASED"}   (released before it was reserved)
 *           a repeat returns the first answer and changes nothing
 * inventory-service.reservations.release
 *   request {"orderId"}
 *   reply   {"orderId", "status": "RELEASED"}   held (or committed) units are back in stock, once;
 *           an unknown order is marked released, so a late reserve of it takes nothing
 * inventory-service.reservations.commit
 *   request {"orderId"}
 *   reply   {"orderId", "status": "COMMITTED"}  held units are sold
 *   failure 404 unknown order; 409 its reservation was rejected or released
 * every address: failure 400 malformed request, 500 database unavailable
 * </pre>
 */
public final class ReservationsBus {
  public static final String RESERVE = "inventory-service.reservations.reserve";
  public static final String RELEASE = "inventory-service.reservations.release";
  public static final String COMMIT = "inventory-service.reservations.commit";

  private final ReservationStore reservations;

  public ReservationsBus(ReservationStore reservations) {
    this.reservations = reservations;
  }

  public List<MessageConsumer<Object>> register(EventBus bus) {
    return List.of(
      bus.consumer(RESERVE, message -> BusAnswers.answer("inventory", message, this::reserve)),
      bus.consumer(RELEASE, message -> BusAnswers.answer("inventory", message, this::release)),
      bus.consumer(COMMIT, message -> BusAnswers.answer("inventory", message, this::commit)));
  }

  private Future<JsonObject> reserve(JsonObject body) {
    ReservationRequest request = BusRequests.reservation(body);
    return reservations.reserve(request).map(ReservationsBus::toJson);
  }

  private Future<JsonObject> release(JsonObject body) {
    UUID orderId = BusRequests.orderId(body);
    return reservations.release(orderId).map(v -> status(orderId, "RELEASED"));
  }

  private Future<JsonObject> commit(JsonObject body) {
    UUID orderId = BusRequests.orderId(body);
    return reservations.commit(orderId).compose(result -> switch (result) {
      case COMMITTED -> Future.succeededFuture(status(orderId, "COMMITTED"));
      case UNKNOWN_ORDER -> Future.failedFuture(new BusAnswers.Refusal(404, "no reservation for order " + orderId));
      case REJECTED -> Future.failedFuture(new BusAnswers.Refusal(409, "the reservation of order " + orderId + " was rejected"));
      case RELEASED -> Future.failedFuture(new BusAnswers.Refusal(409, "the reservation of order " + orderId + " was released"));
    });
  }

  private static JsonObject status(UUID orderId, String status) {
    return new JsonObject().put("orderId", orderId.toString()).put("status", status);
  }

  static JsonObject toJson(ReservationOutcome outcome) {
    JsonObject json = status(outcome.orderId(), outcome.status().name());
    if (outcome.reason() != null) {
      json.put("reason", outcome.reason().name());
    }
    if (outcome.shortProductId() != null) {
      json.put("shortProductId", outcome.shortProductId().toString());
    }
    return json;
  }
}
