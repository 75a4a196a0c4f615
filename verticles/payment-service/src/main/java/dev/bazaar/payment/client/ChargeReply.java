package dev.bazaar.payment.client;

/** The provider's definitive answer to a charge (anything transient is a failed future instead). */
public sealed interface ChargeReply {

  /** 201: the card was charged (or had been, under this idempotency key). */
  record Charged(String chargeId) implements ChargeReply {
  }

  /** 402 declined, or 400 (a token or request the provider will never accept): nothing charged. */
  record Declined(String detail) implements ChargeReply {
  }

  /** 409: the key was used for a different charge; what it charged must be looked up. */
  record KeyReused() implements ChargeReply {
  }
}
