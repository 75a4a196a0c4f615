package dev.bazaar.order.domain;

import java.util.Locale;

/** Why an order was cancelled, as stored and shown in {@code reason}. */
public enum CancellationReason {
  CANCELLED_BY_USER,
  // the saga's outcomes (DESIGN §4)
  STOCK_REJECTED,
  PAYMENT_FAILED,
  DEADLINE_EXPIRED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
