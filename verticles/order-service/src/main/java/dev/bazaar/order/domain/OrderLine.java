package dev.bazaar.order.domain;

import java.util.Objects;
import java.util.UUID;

/** One line of an order: a product, how many, and its unit price when the order was placed. */
public record OrderLine(UUID productId, int quantity, long unitPriceCents) {
  public OrderLine {
    Objects.requireNonNull(productId, "productId");
    if (quantity < OrderRequest.MIN_QUANTITY || quantity > OrderRequest.MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity out of range: " + quantity);
    }
    if (unitPriceCents < 0) {
      throw new IllegalArgumentException("negative unit price: " + unitPriceCents);
    }
  }

  public long subtotalCents() {
    return Math.multiplyExact(unitPriceCents, (long) quantity);
  }
}
