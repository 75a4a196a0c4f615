package dev.bazaar.order.domain;

import java.util.Locale;

/** Why an order was cancelled, as stored and shown in {@code reason} and sent in {@code OrderCancelled}. */
public enum CancellationReason {
  CANCELLED_BY_USER,
  // the saga's outcomes (DESIGN §4, docs/EVENTS.md)
  OUT_OF_STOCK,
  PAYMENT_FAILED,
  DEADLINE_EXPIRED,
  /**
   * Never stored: the reason of the second {@code OrderCancelled} sent when a payment succeeded for
   * an order that was already cancelled (its deadline expired while paying), so that it is refunded.
   */
  PAYMENT_AFTER_CANCEL;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
