package dev.bazaar.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON Schemas of docs/events (draft 2020-12) describe what the producers write: every saga event
 * type has one, and the envelope the codec makes of a representative value of each type passes it,
 * while a value that breaks the contract does not.
 */
class EventSchemasTest {
  static final Path SCHEMAS = Path.of("../../docs/events").toAbsolutePath().normalize();
  static final ObjectMapper JSON = new ObjectMapper();
  static final UUID ORDER = UUID.randomUUID();
  static final UUID USER = UUID.randomUUID();
  static final UUID PRODUCT = UUID.randomUUID();
  static final UUID PAYMENT = UUID.randomUUID();

  /** One representative value of each type, as the services make them. */
  static final List<SagaEvent> EVENTS = List.of(
    new OrderCreated(USER, List.of(new OrderCreated.Item(PRODUCT, 2, 4999)), 9998, "EUR", "v1.c2VhbGVk", Instant.now().plusSeconds(60)),
    new OrderConfirmed(USER, 9998, "EUR"),
    new OrderCancelled(USER, "payment_failed", "PENDING"),
    new StockReserved(USER, 9998, "EUR", "v1.c2VhbGVk", List.of(new StockReserved.Line(PRODUCT, 2)), Instant.parse("2026-11-28T12:00:00Z")),
    new StockReserved(USER, 9998, "EUR", "v1.c2VhbGVk", List.of(new StockReserved.Line(PRODUCT, 2)), null),
    new StockRejected(USER, PRODUCT),
    new StockReleased(USER),
    new StockReleased(null),
    new PaymentSucceeded(USER, PAYMENT, 9998, "EUR"),
    new PaymentFailed(USER, "provider_unavailable"),
    new PaymentRefunded(USER, PAYMENT, 9998, "EUR"));

  @Test
  void everyEventTypeHasASchemaAndNothingElseDoes() throws IOException {
    try (Stream<Path> files = Files.list(SCHEMAS)) {
      assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".schema.json")))
        .containsExactlyInAnyOrderElementsOf(Stream.concat(Stream.of("envelope"), EventCodec.types().keySet().stream())
          .map(type -> type + ".schema.json").toList());
    }
    assertThat(EVENTS.stream().map(event -> EventCodec.type(event.getClass())).distinct())
      .containsExactlyInAnyOrderElementsOf(EventCodec.types().keySet());
  }

  @Test
  void whatTheCodecWritesPassesItsSchema() throws IOException {
    for (SagaEvent event : EVENTS) {
      JsonObject envelope = EventCodec.envelope(ORDER, event).toJson();
      assertThat(errors(event.getClass(), envelope)).as(envelope.encode()).isEmpty();
    }
  }

  @Test
  void valuesThatBreakTheContractFail() throws IOException {
    JsonObject confirmed = EventCodec.envelope(ORDER, new OrderConfirmed(USER, 5, "EUR")).toJson();
    assertThat(errors(OrderConfirmed.class, confirmed.copy().put("type", "OrderCancelled"))).isNotEmpty();
    assertThat(errors(OrderConfirmed.class, confirmed.copy().put("orderId", "o-1"))).isNotEmpty();
    assertThat(errors(OrderConfirmed.class, confirmed.copy().put("payload", confirmed.getJsonObject("payload").copy()
      .put("totalCents", "5")))).isNotEmpty();
    assertThat(errors(OrderConfirmed.class, confirmed.copy().put("payload", confirmed.getJsonObject("payload").copy()
      .put("currency", "eur")))).isNotEmpty();
    JsonObject failed = EventCodec.envelope(ORDER, new PaymentFailed(USER, "maybe")).toJson();
    assertThat(errors(PaymentFailed.class, failed)).isNotEmpty();
    JsonObject noEventId = EventCodec.envelope(ORDER, new StockReleased(USER)).toJson();
    noEventId.remove("eventId");
    assertThat(errors(StockReleased.class, noEventId)).isNotEmpty();
  }

  private static Set<ValidationMessage> errors(Class<? extends SagaEvent> type, JsonObject envelope) throws IOException {
    Path file = SCHEMAS.resolve(EventCodec.type(type) + ".schema.json");
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
      .getSchema(SchemaLocation.of(file.toUri().toString()), SchemaValidatorsConfig.builder().build());
    JsonNode instance = JSON.readTree(envelope.encode());
    return schema.validate(instance);
  }
}
