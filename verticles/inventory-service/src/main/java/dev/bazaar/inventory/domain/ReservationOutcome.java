package dev.bazaar.inventory.domain;

import java.util.UUID;

/**
 * What reserving an order answered, and answers again for every repeat: RESERVED (every line is
 * held), or REJECTED with the reason: a product that is short (the first, in stock order), or an
 * order that was released before it was ever reserved.
 */
public record ReservationOutcome(UUID orderId, Status status, RejectReason reason, UUID shortProductId) {

  public enum Status { RESERVED, REJECTED }

  public enum RejectReason { INSUFFICIENT_STOCK, RELEASED }

  public static ReservationOutcome reserved(UUID orderId) {
    return new ReservationOutcome(orderId, Status.RESERVED, null, null);
  }

  public static ReservationOutcome shortOf(UUID orderId, UUID productId) {
    return new ReservationOutcome(orderId, Status.REJECTED, RejectReason.INSUFFICIENT_STOCK, productId);
  }

  public static ReservationOutcome releasedBeforeReserve(UUID orderId) {
    return new ReservationOutcome(orderId, Status.REJECTED, RejectReason.RELEASED, null);
  }
}
