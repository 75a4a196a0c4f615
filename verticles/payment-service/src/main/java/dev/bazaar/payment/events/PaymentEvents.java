package dev.bazaar.payment.events;

import dev.bazaar.payment.domain.FailureReason;
import dev.bazaar.platform.events.PaymentFailed;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** What payment-service adds to the events it publishes on {@code payment-events} (docs/EVENTS.md). */
public final class PaymentEvents {
  private PaymentEvents() {
  }

  /** {@code PaymentFailed} with the reason's wire form. */
  public static PaymentFailed failed(UUID userId, FailureReason reason) {
    return new PaymentFailed(userId, reason.wire());
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
}
