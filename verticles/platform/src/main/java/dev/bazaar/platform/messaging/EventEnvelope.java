package dev.bazaar.platform.messaging;

import dev.bazaar.platform.http.Ids;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The envelope of every domain event on Kafka (DESIGN.md §4):
 * {@code {"eventId": uuid, "type": "OrderCreated", "orderId": "...", "occurredAt": ISO-8601 instant,
 * "payload": {...}}}. The record key is {@link #orderId()}; the trace context travels in record
 * headers, not here.
 *
 * <p>Parsing is strict about what it needs: each of the five fields present with its type, a valid
 * UUID and instant, a type of 1–100 characters {@code [A-Za-z0-9._-]}, an order id of 1–200
 * characters. Anything else is a {@link PoisonEventException} naming the reason. Unknown extra
 * top-level fields are tolerated (a newer producer may add one before consumers are upgraded).
 * {@code occurredAt} is kept at microsecond precision, PostgreSQL's, so an envelope survives a trip
 * through the outbox unchanged.
 */
public record EventEnvelope(UUID eventId, String type, String orderId, Instant occurredAt, JsonObject payload) {
  public static final int MAX_TYPE_LENGTH = 100;
  public static final int MAX_ORDER_ID_LENGTH = 200;
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_TYPE_LENGTH + "}");

  public EventEnvelope {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(payload, "payload");
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("type must be 1-" + MAX_TYPE_LENGTH + " characters [A-Za-z0-9._-]");
    }
    if (orderId.isBlank() || orderId.length() > MAX_ORDER_ID_LENGTH) {
      throw new IllegalArgumentException("orderId must be 1-" + MAX_ORDER_ID_LENGTH + " characters");
    }
    occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    payload = payload.copy();
  }

  /** A new event: random id, occurred now. */
  public static EventEnvelope create(String type, String orderId, JsonObject payload) {
    return new EventEnvelope(UUID.randomUUID(), type, orderId, Instant.now(), payload);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("eventId", eventId.toString())
      .put("type", type)
      .put("orderId", orderId)
      .put("occurredAt", occurredAt.toString())
      .put("payload", payload.copy());
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  /** Parses a record value; {@code null}, non-JSON, non-object or malformed: {@link PoisonEventException}. */
  public static EventEnvelope parse(Buffer value) {
    if (value == null) {
      throw new PoisonEventException("record has no value");
    }
    Object json;
    try {
      json = io.vertx.core.json.Json.decodeValue(value);
    } catch (DecodeException e) {
      throw new PoisonEventException("value is not JSON");
    }
    if (!(json instanceof JsonObject object)) {
      throw new PoisonEventException("value is not a JSON object");
    }
    return fromJson(object);
  }

  public static EventEnvelope parse(String value) {
    return parse(value == null ? null : Buffer.buffer(value));
  }

  public static EventEnvelope fromJson(JsonObject json) {
    if (json == null) {
      throw new PoisonEventException("envelope is null");
    }
    UUID eventId = Ids.parse(text(json, "eventId")).orElseThrow(() -> new PoisonEventException("eventId is not a UUID"));
    String type = text(json, "type");
    if (!TYPE.matcher(type).matches()) {
      throw new PoisonEventException("type must be 1-" + MAX_TYPE_LENGTH + " characters [A-Za-z0-9._-]");
    }
    String orderId = text(json, "orderId");
    if (orderId.isBlank() || orderId.length() > MAX_ORDER_ID_LENGTH) {
      throw new PoisonEventException("orderId must be 1-" + MAX_ORDER_ID_LENGTH + " characters");
    }
    Instant occurredAt;
    try {
      occurredAt = Instant.parse(text(json, "occurredAt"));
    } catch (DateTimeParseException e) {
      throw new PoisonEventException("occurredAt is not an ISO-8601 instant");
    }
    Object payload = json.getValue("payload");
    if (payload == null) {
      throw new PoisonEventException("payload is missing");
    }
    if (!(payload instanceof JsonObject object)) {
      throw new PoisonEventException("payload must be a JSON object");
    }
    return new EventEnvelope(eventId, type, orderId, occurredAt, object);
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      throw new PoisonEventException(field + " is missing");
    }
    if (!(value instanceof String s)) {
      throw new PoisonEventException(field + " must be a string");
    }
    return s;
  }
}
