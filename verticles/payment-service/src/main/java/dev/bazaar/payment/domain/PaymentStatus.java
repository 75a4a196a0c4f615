package dev.bazaar.payment.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a payment: PENDING while the provider is asked, then SUCCEEDED or FAILED; a
 * succeeded payment may be REFUNDED (its order cancelled after confirmation). FAILED and REFUNDED are final.
 */
public enum PaymentStatus {
  PENDING,
  SUCCEEDED,
  FAILED,
  REFUNDED;

  private static final Map<PaymentStatus, Set<PaymentStatus>> NEXT = Map.of(
    PENDING, EnumSet.of(SUCCEEDED, FAILED),
    SUCCEEDED, EnumSet.of(REFUNDED),
    FAILED, EnumSet.noneOf(PaymentStatus.class),
    REFUNDED, EnumSet.noneOf(PaymentStatus.class));

  public boolean canMoveTo(PaymentStatus target) {
    return NEXT.get(this).contains(target);
  }

  /** Every status from which {@code target} may be reached: the guard of an SQL update. */
  public static Set<PaymentStatus> sourcesOf(PaymentStatus target) {
    Set<PaymentStatus> sources = EnumSet.noneOf(PaymentStatus.class);
    for (PaymentStatus status : values()) {
      if (status.canMoveTo(target)) {
        sources.add(status);
      }
    }
    return sources;
  }
}
