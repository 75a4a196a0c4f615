package dev.bazaar.inventory.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An order's request to hold stock: all lines or none. Lines naming the same product are merged,
 * and lines are kept sorted by product id in PostgreSQL's uuid order (that of the canonical text),
 * the one order in which every transaction takes stock rows, so that two orders never deadlock.
 */
public record ReservationRequest(UUID orderId, List<ReservationLine> lines) {
  public static final int MAX_LINES = 100;
  public static final Comparator<UUID> STOCK_ORDER = Comparator.comparing(UUID::toString);

  /** Merges the lines of one product and sorts them in stock order, whatever order they came in. */
  public ReservationRequest {
    Map<UUID, Integer> merged = new TreeMap<>(STOCK_ORDER);
    lines.forEach(line -> merged.merge(line.productId(), line.quantity(), Integer::sum));
    List<ReservationLine> sorted = new ArrayList<>(merged.size());
    merged.forEach((productId, quantity) -> sorted.add(new ReservationLine(productId, quantity)));
    lines = List.copyOf(sorted);
  }
}
