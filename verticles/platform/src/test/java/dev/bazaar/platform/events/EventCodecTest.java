package dev.bazaar.platform.events;

import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.messaging.PoisonEventException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The codec writes the payloads docs/EVENTS.md describes, field for field, and reads them back strictly. */
class EventCodecTest {
  static final UUID ORDER = UUID.fromString("0b0e3c1e-8f0a-4a47-9d5e-2f6f1c1d2e3f");
  static final UUID USER = UUID.fromString("6f1c1d2e-3f0b-4e3c-9e8f-0a4a479d5e2f");
  static final UUID PRODUCT = UUID.fromString("9d5e2f6f-1c1d-4e3f-8b0e-3c1e8f0a4a47");

  @Test
  void orderCreatedIsWrittenAsTheHandWrittenPayloadWas() {
    Instant deadline = Instant.parse("2026-11-26T12:00:30.123456Z");
    OrderCreated created = new OrderCreated(USER, List.of(new OrderCreated.Item(PRODUCT, 2, 4999)), 9998, "EUR", "v1.abc", deadline);
    JsonObject payload = EventCodec.payload(created);
    assertThat(payload).isEqualTo(new JsonObject()
      .put("userId", USER.toString())
      .put("items", new JsonArray().add(new JsonObject().put("productId", PRODUCT.toString()).put("quantity", 2).put("unitPriceCents", 4999)))
      .put("totalCents", 9998)
      .put("currency", "EUR")
      .put("sealedPaymentToken", "v1.abc")
      .put("deadline", deadline.toString()));
    assertThat(EventCodec.decode(OrderCreated.class, payload)).isEqualTo(created);
  }

  @Test
  void anEnvelopeCarriesTypeTopicAndOrder() {
    EventEnvelope envelope = EventCodec.envelope(ORDER, new StockReleased(null));
    assertThat(envelope.type()).isEqualTo("StockReleased");
    assertThat(envelope.orderId()).isEqualTo(ORDER.toString());
    assertThat(envelope.payload()).isEqualTo(new JsonObject().put("userId", null));
    assertThat(EventCodec.topic(StockReleased.class)).isEqualTo("inventory-events");
    assertThat(EventCodec.topic(OrderCancelled.class)).isEqualTo("order-events");
    assertThat(EventCodec.topic(PaymentRefunded.class)).isEqualTo("payment-events");
    Received<StockReleased> read = EventCodec.read(envelope, StockReleased.class);
    assertThat(read.orderId()).isEqualTo(ORDER);
    assertThat(read.eventId()).isEqualTo(envelope.eventId());
    assertThat(EventCodec.types()).hasSize(9).containsKeys("OrderCreated", "StockReserved", "PaymentFailed");
  }

  @Test
  void unknownFieldsAreIgnoredAndOptionalOnesMayBeAbsent() {
    OrderCancelled cancelled = EventCodec.decode(OrderCancelled.class, new JsonObject().put("reason", "x").put("extra", 1));
    assertThat(cancelled).isEqualTo(new OrderCancelled(null, "x", null));
  }

  @Test
  void malformedPayloadsArePoison() {
    JsonObject good = new JsonObject().put("userId", USER.toString()).put("totalCents", 5).put("currency", "EUR");
    assertThat(EventCodec.decode(OrderConfirmed.class, good)).isEqualTo(new OrderConfirmed(USER, 5, "EUR"));
    assertPoison(without(good, "totalCents"), "totalCents");
    assertPoison(without(good, "userId"), "userId is missing");
    assertPoison(good.copy().put("totalCents", "5"), "totalCents");
    assertPoison(good.copy().put("totalCents", 5.5), "totalCents");
    assertPoison(good.copy().put("totalCents", -1), "totalCents must be a whole number >= 0");
    assertPoison(good.copy().put("currency", 978), "currency");
    assertPoison(good.copy().put("currency", "eur"), "currency must be an ISO 4217 code");
    assertPoison(good.copy().put("userId", "1-1-1-1-1"), "userId");
    assertPoison(good.copy().put("userId", "AAAAAAAAAAAAAAAAAAAAAA=="), "userId");
    assertPoison(good.copy().put("userId", 7), "userId");
  }

  @Test
  void readingChecksTheTypeAndTheOrderId() {
    EventEnvelope notAnOrder = EventEnvelope.create("StockReleased", "o-1", new JsonObject());
    assertThatThrownBy(() -> EventCodec.read(notAnOrder, StockReleased.class))
      .isInstanceOf(PoisonEventException.class).hasMessageContaining("orderId");
    EventEnvelope other = EventEnvelope.create("StockRejected", ORDER.toString(), new JsonObject());
    assertThatThrownBy(() -> EventCodec.read(other, StockReleased.class)).isInstanceOf(PoisonEventException.class);
  }

  private static JsonObject without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }

  private static void assertPoison(JsonObject payload, String reason) {
    assertThatThrownBy(() -> EventCodec.decode(OrderConfirmed.class, payload))
      .isInstanceOf(PoisonEventException.class)
      .hasMessageStartingWith("OrderConfirmed: ")
      .hasMessageContaining(reason);
  }
}
