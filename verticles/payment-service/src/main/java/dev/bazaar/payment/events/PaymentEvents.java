package dev.bazaar.payment.events;

import dev.bazaar.payment.domain.FailureReason;
import dev.bazaar.platform.messaging.EventEnvelope;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The events payment-service publishes on {@value #TOPIC} (docs/EVENTS.md), through its outbox. */
public final class PaymentEvents {
  public static final String TOPIC = "payment-events";
  public static final String SUCCEEDED = "PaymentSucceeded";
  public static final String FAILED = "PaymentFailed";
  public static final String REFUNDED = "PaymentRefunded";

  private PaymentEvents() {
  }

  public static EventEnvelope succeeded(UUID orderId, UUID userId, UUID paymentId, long amountCents, String currency) {
    return EventEnvelope.create(SUCCEEDED, orderId.toString(), money(userId, paymentId, amountCents, currency));
  }

  public static EventEnvelope failed(UUID orderId, UUID userId, FailureReason reason) {
    return EventEnvelope.create(FAILED, orderId.toString(),
      new JsonObject().put("userId", userId.toString()).put("reason", reason.wire()));
  }

  public static EventEnvelope refunded(UUID orderId, UUID userId, UUID paymentId, long amountCents, String currency) {
    return EventEnvelope.create(REFUNDED, orderId.toString(), money(userId, paymentId, amountCents, currency));
  }

  /** A new W3C trace context for the transaction that settles a payment (it runs outside any request). */
  public static String newTraceparent() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "00-" + hex(random.nextLong()) + hex(random.nextLong() | 1) + "-" + hex(random.nextLong() | 1) + "-01";
  }

  private static String hex(long value) {
    String s = Long.toHexString(value);
    return "0".repeat(16 - s.length()) + s;
  }

  private static JsonObject money(UUID userId, UUID paymentId, long amountCents, String currency) {
    return new JsonObject().put("userId", userId.toString()).put("paymentId", paymentId.toString())
      .put("amountCents", amountCents).put("currency", currency);
  }
}
