package dev.bazaar.platform.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.bazaar.platform.http.Ids;
import dev.bazaar.platform.messaging.EventEnvelope;
import dev.bazaar.platform.messaging.PoisonEventException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The one codec of the saga's events: a record to the envelope's {@code payload} and back, with
 * Jackson (Vert.x's {@link DatabindCodec} mapper, so instants are ISO-8601 text as everywhere in
 * Vert.x's JSON). Strict where a hand-written reader was: a number must be a JSON integer (no
 * {@code "12"}, no {@code 12.5}), a text a JSON string, an id a canonical UUID, a required field
 * present; unknown fields are ignored (a newer producer may add one). A payload that fails is a
 * {@link PoisonEventException} (dead-lettered).
 *
 * <p>The type on the wire is the record's simple name; the topic is that of its sealed family.
 */
public final class EventCodec {
  private static final List<Class<? extends SagaEvent>> FAMILIES = List.of(OrderEvent.class, InventoryEvent.class, PaymentEvent.class);
  private static final Map<String, Class<? extends SagaEvent>> TYPES = permitted();
  private static final ObjectMapper MAPPER = mapper();

  private EventCodec() {
  }

  /** Every event type on the wire, with its record. */
  public static Map<String, Class<? extends SagaEvent>> types() {
    return TYPES;
  }

  private static Map<String, Class<? extends SagaEvent>> permitted() {
    Map<String, Class<? extends SagaEvent>> types = new LinkedHashMap<>();
    for (Class<? extends SagaEvent> family : FAMILIES) {
      for (Class<?> type : family.getPermittedSubclasses()) {
        types.put(type.getSimpleName(), type.asSubclass(SagaEvent.class));
      }
    }
    return Collections.unmodifiableMap(types);
  }

  /** The envelope's {@code type} of events of {@code type}. */
  public static String type(Class<? extends SagaEvent> type) {
    return type.getSimpleName();
  }

  /** The topic events of {@code type} go to (that of its family). */
  public static String topic(Class<? extends SagaEvent> type) {
    if (OrderEvent.class.isAssignableFrom(type)) {
      return OrderEvent.TOPIC;
    }
    return InventoryEvent.class.isAssignableFrom(type) ? InventoryEvent.TOPIC : PaymentEvent.TOPIC;
  }

  /** The envelope's {@code payload} of {@code event}. */
  public static JsonObject payload(SagaEvent event) {
    return new JsonObject(MAPPER.convertValue(Objects.requireNonNull(event), Map.class));
  }

  /** A new envelope (random id, occurred now) for {@code event} about {@code orderId}. */
  public static EventEnvelope envelope(UUID orderId, SagaEvent event) {
    return EventEnvelope.create(type(event.getClass()), orderId.toString(), payload(event));
  }

  /** The event of {@code type} that {@code payload} holds; malformed: {@link PoisonEventException}. */
  public static <E extends SagaEvent> E decode(Class<E> type, JsonObject payload) {
    try {
      return MAPPER.readValue(payload.encode(), type);
    } catch (JsonProcessingException e) {
      throw new PoisonEventException(type(type) + ": " + reason(e));
    }
  }

  /** {@code envelope} read as an event of {@code type}: its order id a UUID, its payload well formed, else {@link PoisonEventException}. */
  public static <E extends SagaEvent> Received<E> read(EventEnvelope envelope, Class<E> type) {
    if (!type(type).equals(envelope.type())) {
      throw new PoisonEventException("expected " + type(type) + ", got " + envelope.type());
    }
    UUID orderId = Ids.parse(envelope.orderId())
      .orElseThrow(() -> new PoisonEventException(envelope.type() + ": orderId is not an order id (UUID)"));
    return new Received<>(envelope.eventId(), orderId, envelope.occurredAt(), decode(type, envelope.payload()));
  }

  private static String reason(JsonProcessingException e) {
    // a check of the record itself says what it wants; Jackson's own says where it stopped
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
      return cause.getMessage();
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference ref : mapping.getPath()) {
        path.append(ref.getFieldName() != null ? (path.length() == 0 ? "" : ".") + ref.getFieldName() : "[" + ref.getIndex() + "]");
      }
      return path + " is malformed";
    }
    return "payload is malformed";
  }

  private static ObjectMapper mapper() {
    ObjectMapper mapper = DatabindCodec.mapper().copy()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    for (LogicalType scalar : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.registerModule(new SimpleModule("bazaar-events").addDeserializer(UUID.class, new CanonicalUuid()));
    return mapper;
  }

  /** Ids are canonical UUIDs only (Jackson's own reader also takes base64). */
  private static final class CanonicalUuid extends StdScalarDeserializer<UUID> {
    CanonicalUuid() {
      super(UUID.class);
    }

    @Override
    public UUID deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        return (UUID) context.handleUnexpectedToken(UUID.class, parser);
      }
      String text = parser.getText();
      UUID id = Ids.parse(text).orElse(null);
      return id != null ? id : (UUID) context.handleWeirdStringValue(UUID.class, text, "not a canonical UUID");
    }
  }
}
