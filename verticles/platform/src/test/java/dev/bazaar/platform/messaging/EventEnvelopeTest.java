package dev.bazaar.platform.messaging;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventEnvelopeTest {
  private static final UUID ID = UUID.fromString("0b7e4f3a-6c1d-4e59-9f00-2a8c1e0d5b11");

  private static JsonObject valid() {
    return new JsonObject()
      .put("eventId", ID.toString())
      .put("type", "OrderCreated")
      .put("orderId", "order-42")
      .put("occurredAt", "2025-01-02T03:04:05.123456Z")
      .put("payload", new JsonObject().put("lines", new JsonArray().add(new JsonObject().put("sku", "a").put("qty", 2))));
  }

  @Test
  void roundTripsThroughJsonAndBytes() {
    EventEnvelope event = EventEnvelope.fromJson(valid());
    assertThat(event.eventId()).isEqualTo(ID);
    assertThat(event.type()).isEqualTo("OrderCreated");
    assertThat(event.orderId()).isEqualTo("order-42");
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05.123456Z"));
    assertThat(event.payload().getJsonArray("lines").getJsonObject(0).getInteger("qty")).isEqualTo(2);
    assertThat(event.toJson()).isEqualTo(valid());
    assertThat(EventEnvelope.parse(event.toBuffer())).isEqualTo(event);
    assertThat(EventEnvelope.parse(event.toJson().encode())).isEqualTo(event);
  }

  @Test
  void createdEventsHaveAnIdAndMicrosecondTime() {
    EventEnvelope event = EventEnvelope.create("StockReserved", "o-1", new JsonObject().put("x", 1));
    assertThat(event.eventId()).isNotNull();
    assertThat(event.occurredAt().getNano() % 1000).isZero();
    assertThat(new EventEnvelope(ID, "T", "o", Instant.parse("2025-01-01T00:00:00.123456789Z"), new JsonObject()).occurredAt())
      .isEqualTo(Instant.parse("2025-01-01T00:00:00.123456Z"));
  }

  @Test
  void payloadIsCopiedIn() {
    JsonObject payload = new JsonObject().put("a", 1);
    EventEnvelope event = EventEnvelope.create("T", "o", payload);
    payload.put("a", 2);
    assertThat(event.payload().getInteger("a")).isEqualTo(1);
  }

  @Test
  void extraTopLevelFieldsAreTolerated() {
    assertThat(EventEnvelope.fromJson(valid().put("version", 2)).type()).isEqualTo("OrderCreated");
  }

  @Test
  void notJsonOrNotAnObjectIsPoison() {
    assertPoison(Buffer.buffer("not json"), "value is not JSON");
    assertPoison(Buffer.buffer("{\"eventId\":"), "value is not JSON");
    assertPoison(Buffer.buffer("[1,2]"), "value is not a JSON object");
    assertPoison(Buffer.buffer("42"), "value is not a JSON object");
    assertPoison(Buffer.buffer("null"), "value is not a JSON object");
    assertPoison((Buffer) null, "record has no value");
    assertThatThrownBy(() -> EventEnvelope.fromJson(null)).isInstanceOf(PoisonEventException.class);
  }

  @Test
  void everyFieldIsRequiredWithItsType() {
    for (String field : new String[] {"eventId", "type", "orderId", "occurredAt", "payload"}) {
      JsonObject missing = valid();
      missing.remove(field);
      assertPoison(missing, field + " is missing");
    }
    assertPoison(valid().put("eventId", 12), "eventId must be a string");
    assertPoison(valid().put("type", new JsonObject()), "type must be a string");
    assertPoison(valid().put("orderId", 7), "orderId must be a string");
    assertPoison(valid().put("occurredAt", 1735689600000L), "occurredAt must be a string");
    assertPoison(valid().put("payload", "{}"), "payload must be a JSON object");
    assertPoison(valid().put("payload", new JsonArray()), "payload must be a JSON object");
  }

  @Test
  void valuesAreValidated() {
    assertPoison(valid().put("eventId", "not-a-uuid"), "eventId is not a UUID");
    assertPoison(valid().put("eventId", "1-2-3-4-5"), "eventId is not a UUID");
    assertPoison(valid().put("occurredAt", "yesterday"), "occurredAt is not an ISO-8601 instant");
    assertPoison(valid().put("occurredAt", "2025-01-02T03:04:05"), "occurredAt is not an ISO-8601 instant");
    assertPoison(valid().put("type", ""), "type must be");
    assertPoison(valid().put("type", "Order Created"), "type must be");
    assertPoison(valid().put("type", "x".repeat(101)), "type must be");
    assertPoison(valid().put("orderId", " "), "orderId must be");
    assertPoison(valid().put("orderId", "o".repeat(201)), "orderId must be");
  }

  @Test
  void constructorRejectsInvalidValues() {
    assertThatThrownBy(() -> new EventEnvelope(null, "T", "o", Instant.now(), new JsonObject())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new EventEnvelope(ID, "bad type", "o", Instant.now(), new JsonObject())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EventEnvelope(ID, "T", "", Instant.now(), new JsonObject())).isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertPoison(JsonObject json, String reason) {
    assertThatThrownBy(() -> EventEnvelope.fromJson(json))
      .isInstanceOf(PoisonEventException.class)
      .satisfies(e -> assertThat(((PoisonEventException) e).reason()).startsWith(reason));
    assertThatThrownBy(() -> EventEnvelope.parse(json.toBuffer())).isInstanceOf(PoisonEventException.class);
  }

  private static void assertPoison(Buffer value, String reason) {
    assertThatThrownBy(() -> EventEnvelope.parse(value))
      .isInstanceOf(PoisonEventException.class)
      .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(reason));
  }
}
