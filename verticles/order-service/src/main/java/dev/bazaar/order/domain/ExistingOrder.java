package dev.bazaar.order.domain;

import java.util.UUID;

/** The order a user already placed under an Idempotency-Key, with the fingerprint of that request. */
public record ExistingOrder(UUID id, OrderStatus status, String requestHash) {

  /** A retry of the same request gets the same order; a different request under the same key is refused. */
  public boolean isRetryOf(String fingerprint) {
    return requestHash.equals(fingerprint);
  }
}
