package dev.bazaar.order.domain;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The life of an order: PENDING until the saga settles it, then CONFIRMED or CANCELLED; a confirmed
 * order may still be cancelled (refunded, stock released). Nothing ever moves back, and CANCELLED
 * is final, so a stale or duplicated event or request cannot undo an outcome.
 */
public enum OrderStatus {
  PENDING,
  CONFIRMED,
  CANCELLED;

  private static final Map<OrderStatus, Set<OrderStatus>> NEXT = Map.of(
    PENDING, EnumSet.of(CONFIRMED, CANCELLED),
    CONFIRMED, EnumSet.of(CANCELLED),
    CANCELLED, EnumSet.noneOf(OrderStatus.class));

  public boolean canMoveTo(OrderStatus target) {
    return NEXT.get(this).contains(target);
  }

  /** Every status from which {@code target} may be reached: the guard of the SQL update. */
  public static Set<OrderStatus> sourcesOf(OrderStatus target) {
    Set<OrderStatus> sources = EnumSet.noneOf(OrderStatus.class);
    for (OrderStatus status : values()) {
      if (status.canMoveTo(target)) {
        sources.add(status);
      }
    }
    return sources;
  }

  /** The status of that exact name (the public API spells them in upper case), if any. */
  public static Optional<OrderStatus> parse(String name) {
    return Arrays.stream(values()).filter(status -> status.name().equals(name)).findFirst();
  }
}
