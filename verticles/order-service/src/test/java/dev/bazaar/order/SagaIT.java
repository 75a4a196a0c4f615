package dev.bazaar.order;

import dev.bazaar.order.OrderTestBed.User;
import dev.bazaar.platform.events.InventoryEvent;
import dev.bazaar.platform.events.PaymentEvent;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.testing.TestSeal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.order.OrderTestBed.CABLE;
import static dev.bazaar.order.OrderTestBed.KEYBOARD;
import static dev.bazaar.order.OrderTestBed.MOUSE;
import static dev.bazaar.order.OrderTestBed.assertProblem;
import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.order.OrderTestBed.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * order-service's part of the saga against a real broker: OrderCreated out with the order,
 * inventory and payment outcomes in (once each, stale ones ignored), OrderConfirmed/OrderCancelled out.
 */
class SagaIT extends OrderTestBed.PerClass {
  static final String PAYMENT_EVENTS = PaymentEvent.TOPIC;
  static final String INVENTORY_EVENTS = InventoryEvent.TOPIC;

  @Test
  void placingAnOrderPublishesOrderCreatedOnceWithTheRequestsTrace() throws Exception {
    User ann = bed.newUser("ann");
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String key = "checkout-" + UUID.randomUUID();
    Instant before = Instant.now();
    HttpResponse<Buffer> response = await(bed.request(io.vertx.core.http.HttpMethod.POST, "/api/v1/orders", ann.token())
      .putHeader("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
      .putHeader("Idempotency-Key", key)
      .sendJsonObject(order("tok_ok", KEYBOARD, 2, CABLE, 3)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    String id = response.bodyAsJsonObject().getString("id");

    EventEnvelope created = bed.awaitEvents(id, "OrderCreated", 1).get(0);
    assertThat(created.orderId()).isEqualTo(id);
    JsonObject payload = created.payload();
    assertThat(payload.fieldNames()).containsExactlyInAnyOrder("userId", "items", "totalCents", "currency", "sealedPaymentToken", "deadline");
    assertThat(payload.getString("userId")).isEqualTo(ann.id());
    assertThat(payload.getJsonArray("items")).containsExactly(
      new JsonObject().put("productId", KEYBOARD.toString()).put("quantity", 2).put("unitPriceCents", 4999),
      new JsonObject().put("productId", CABLE.toString()).put("quantity", 3).put("unitPriceCents", 500));
    assertThat(payload.getLong("totalCents")).isEqualTo(2 * 4999L + 3 * 500L);
    assertThat(payload.getString("currency")).isEqualTo("EUR");
    assertThat(payload.encode()).as("the card token travels sealed only").doesNotContain("tok_ok");
    assertThat(TestSeal.sealer().unseal(payload.getString("sealedPaymentToken"), id)).isEqualTo("tok_ok");
    Instant deadline = Instant.parse(payload.getString("deadline"));
    assertThat(deadline).isBetween(before.plusSeconds(290), Instant.now().plusSeconds(310));

    KafkaConsumerRecord<String, String> record = bed.recordsOf(id).get(0);
    assertThat(record.key()).isEqualTo(id);
    assertThat(header(record, "traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-01");

    // a replay of the same request stores nothing and announces nothing
    HttpResponse<Buffer> replay = bed.place(ann.token(), order("tok_ok", KEYBOARD, 2, CABLE, 3), key);
    assertThat(replay.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ?", id)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND deadline = ?", UUID.fromString(id),
      java.time.OffsetDateTime.ofInstant(deadline, java.time.ZoneOffset.UTC))).isEqualTo(1);
  }

  @Test
  void paymentSucceededConfirmsTheOrderOnceAndAStalePaymentFailedChangesNothing() throws Exception {
    User bob = bed.newUser("bob");
    String id = bed.placed(bob, order("tok_ok", MOUSE, 2));
    bed.awaitEvents(id, "OrderCreated", 1);

    EventEnvelope paid = paymentSucceeded(id, bob, 2 * 1999L);
    bed.produce(PAYMENT_EVENTS, paid);
    bed.awaitStatus(id, "CONFIRMED");
    EventEnvelope confirmed = bed.awaitEvents(id, "OrderConfirmed", 1).get(0);
    assertThat(confirmed.payload()).isEqualTo(new JsonObject().put("userId", bob.id()).put("totalCents", 2 * 1999).put("currency", "EUR"));
    assertThat(bed.get("/api/v1/orders/" + id, bob.token()).bodyAsJsonObject().getString("status")).isEqualTo("CONFIRMED");

    // the same event again (a redelivery), then a stale PaymentFailed behind it on the same partition
    bed.produce(PAYMENT_EVENTS, paid);
    EventEnvelope stale = paymentFailed(id, bob, "declined");
    bed.produce(PAYMENT_EVENTS, stale);
    bed.awaitProcessed(stale.eventId());

    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND status = 'CONFIRMED' AND version = 1 AND reason IS NULL",
      UUID.fromString(id))).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ? AND type = 'OrderConfirmed'", id)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ? AND type = 'OrderCancelled'", id)).isZero();
    assertThat(bed.count("SELECT count(*) FROM processed_events WHERE consumer = 'order-service' AND event_id = ?", paid.eventId()))
      .isEqualTo(1);
    assertThat(bed.eventsOf(id)).extracting(EventEnvelope::type).containsExactly("OrderCreated", "OrderConfirmed");
  }

  @Test
  void stockRejectedCancelsTheOrderOutOfStock() throws Exception {
    User cid = bed.newUser("cid");
    String id = bed.placed(cid, order("tok_ok", KEYBOARD, 1));
    bed.produce(INVENTORY_EVENTS, EventEnvelope.create("StockRejected", id,
      new JsonObject().put("userId", cid.id()).put("shortProductId", KEYBOARD.toString())));
    bed.awaitStatus(id, "CANCELLED");
    assertCancelledEvent(bed.awaitEvents(id, "OrderCancelled", 1).get(0), cid, "out_of_stock", "PENDING");
    assertThat(bed.get("/api/v1/orders/" + id, cid.token()).bodyAsJsonObject().getString("reason")).isEqualTo("out_of_stock");

    // a late PaymentFailed ("cancelled": payment saw the cancellation first) changes nothing
    EventEnvelope late = paymentFailed(id, cid, "cancelled");
    bed.produce(PAYMENT_EVENTS, late);
    bed.awaitProcessed(late.eventId());
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND version = 1 AND reason = 'out_of_stock'", UUID.fromString(id)))
      .isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ? AND type = 'OrderCancelled'", id)).isEqualTo(1);
  }

  @Test
  void paymentFailedCancelsTheOrderSoThatInventoryReleases() throws Exception {
    User dee = bed.newUser("dee");
    String id = bed.placed(dee, order("tok_declined", CABLE, 4));
    // what inventory would have said first: ignored by order-service
    EventEnvelope reserved = EventEnvelope.create("StockReserved", id, new JsonObject().put("userId", dee.id()));
    bed.produce(INVENTORY_EVENTS, reserved);
    bed.produce(PAYMENT_EVENTS, paymentFailed(id, dee, "declined"));
    bed.awaitStatus(id, "CANCELLED");
    assertCancelledEvent(bed.awaitEvents(id, "OrderCancelled", 1).get(0), dee, "payment_failed", "PENDING");
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND reason = 'payment_failed' AND version = 1", UUID.fromString(id)))
      .isEqualTo(1);
  }

  @Test
  void cancellingAConfirmedOrderAnnouncesItForARefundAndOnlyOnce() throws Exception {
    User eve = bed.newUser("eve");
    String id = bed.placed(eve, order("tok_ok", MOUSE, 1));
    bed.produce(PAYMENT_EVENTS, paymentSucceeded(id, eve, 1999));
    bed.awaitStatus(id, "CONFIRMED");

    String traceId = "0af7651916cd43dd8448eb211c80319c";
    HttpResponse<Buffer> cancelled = await(bed.request(io.vertx.core.http.HttpMethod.POST, "/api/v1/orders/" + id + "/cancel", eve.token())
      .putHeader("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
      .send());
    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(202);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("CANCELLED");
    assertThat(cancelled.bodyAsJsonObject().getString("reason")).isEqualTo("cancelled_by_user");
    assertCancelledEvent(bed.awaitEvents(id, "OrderCancelled", 1).get(0), eve, "cancelled_by_user", "CONFIRMED");
    KafkaConsumerRecord<String, String> record = bed.recordsOf(id).stream()
      .filter(r -> EventEnvelope.parse(r.value()).type().equals("OrderCancelled")).findFirst().orElseThrow();
    assertThat(header(record, "traceparent")).startsWith("00-" + traceId + "-");

    assertProblem(bed.post("/api/v1/orders/" + id + "/cancel", eve.token(), new JsonObject()), 409);
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ? AND type = 'OrderCancelled'", id)).isEqualTo(1);
    assertThat(bed.count("SELECT version FROM orders WHERE id = ?", UUID.fromString(id))).isEqualTo(2);
  }

  @Test
  void cancellingAPendingOrderAnnouncesIt() throws Exception {
    User fay = bed.newUser("fay");
    String id = bed.placed(fay, order("tok_ok", KEYBOARD, 1));
    assertThat(bed.post("/api/v1/orders/" + id + "/cancel", fay.token(), new JsonObject()).statusCode()).isEqualTo(202);
    assertCancelledEvent(bed.awaitEvents(id, "OrderCancelled", 1).get(0), fay, "cancelled_by_user", "PENDING");

    // the outcome of the saga arrives after the user cancelled: a charge is refunded, nothing moves
    EventEnvelope paid = paymentSucceeded(id, fay, 4999);
    bed.produce(PAYMENT_EVENTS, paid);
    List<EventEnvelope> cancellations = bed.awaitEvents(id, "OrderCancelled", 2);
    assertCancelledEvent(cancellations.get(1), fay, "payment_after_cancel", "CANCELLED");
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND status = 'CANCELLED' AND reason = 'cancelled_by_user' AND version = 1",
      UUID.fromString(id))).isEqualTo(1);
  }

  @Test
  void eventsAboutUnknownOrdersAreSkipped() throws Exception {
    String unknown = UUID.randomUUID().toString();
    EventEnvelope paid = EventEnvelope.create("PaymentSucceeded", unknown, new JsonObject().put("userId", UUID.randomUUID().toString())
      .put("paymentId", UUID.randomUUID().toString()).put("amountCents", 100).put("currency", "EUR"));
    bed.produce(PAYMENT_EVENTS, paid);
    bed.awaitProcessed(paid.eventId());
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ?", UUID.fromString(unknown))).isZero();
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ?", unknown)).isZero();
  }

  static EventEnvelope paymentSucceeded(String orderId, User user, long cents) {
    return EventEnvelope.create("PaymentSucceeded", orderId, new JsonObject().put("userId", user.id())
      .put("paymentId", UUID.randomUUID().toString()).put("amountCents", cents).put("currency", "EUR"));
  }

  static EventEnvelope paymentFailed(String orderId, User user, String reason) {
    return EventEnvelope.create("PaymentFailed", orderId, new JsonObject().put("userId", user.id()).put("reason", reason));
  }

  static void assertCancelledEvent(EventEnvelope event, User user, String reason, String previousStatus) {
    assertThat(event.type()).isEqualTo("OrderCancelled");
    assertThat(event.payload()).isEqualTo(new JsonObject().put("userId", user.id()).put("reason", reason)
      .put("previousStatus", previousStatus));
  }

  static String header(KafkaConsumerRecord<String, String> record, String name) {
    return record.headers().stream().filter(h -> h.key().equals(name)).map(KafkaHeader::value).map(Buffer::toString)
      .reduce((first, last) -> last).orElse(null);
  }
}
