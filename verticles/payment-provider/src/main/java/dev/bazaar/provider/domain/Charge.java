package dev.bazaar.provider.domain;

/**
 * A charge as the processor keeps it: settled at creation ({@link ChargeStatus}), with its refund
 * once there is one. Times are epoch milliseconds (compact: the book may hold a million of these).
 */
public record Charge(String id, ChargeRequest request, ChargeStatus status, long createdAtMillis, Refund refund) {
  public static final String DECLINE_REASON = "card_declined";

  public String idempotencyKey() {
    return request.idempotencyKey();
  }

  public long amountCents() {
    return request.amountCents();
  }

  public String currency() {
    return request.currency();
  }

  /** Why the charge was declined ({@code card_declined}), or null when it succeeded. */
  public String declineReason() {
    return status == ChargeStatus.DECLINED ? DECLINE_REASON : null;
  }

  Charge withRefund(Refund newRefund) {
    return new Charge(id, request, status, createdAtMillis, newRefund);
  }
}
