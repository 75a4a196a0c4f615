package dev.bazaar.provider.domain;

/** What {@link ChargeBook#refund} did. */
public sealed interface RefundOutcome {
  /** The charge is refunded now. */
  record Created(Refund refund) implements RefundOutcome {
  }

  /** The charge was refunded before: that refund, no second one. */
  record Replayed(Refund refund) implements RefundOutcome {
  }

  /** No such charge (never made, or forgotten once the book was full). */
  record NotFound(String chargeId) implements RefundOutcome {
  }

  /** The charge was declined: there is no money to give back. */
  record NotRefundable(Charge charge) implements RefundOutcome {
  }
}
