package dev.bazaar.inventory.domain;

import java.util.UUID;

/** Units of one product that one order wants held. */
public record ReservationLine(UUID productId, int quantity) {
  public static final int MAX_QUANTITY = 1_000_000;
}
