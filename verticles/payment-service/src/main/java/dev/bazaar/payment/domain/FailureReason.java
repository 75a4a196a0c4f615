package dev.bazaar.payment.domain;

/** Why a payment was not taken: the {@code reason} of PaymentFailed (docs/EVENTS.md). */
public enum FailureReason {
  /** The provider declined the card (or refused the request for good). */
  DECLINED("declined"),
  /** The provider could not be reached (errors, timeouts, breaker open) until the order's deadline. */
  PROVIDER_UNAVAILABLE("provider_unavailable"),
  /** The order was cancelled before the provider was asked. */
  CANCELLED("cancelled");

  private final String wire;

  FailureReason(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
