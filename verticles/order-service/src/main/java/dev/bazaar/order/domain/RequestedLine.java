package dev.bazaar.order.domain;

import java.util.Objects;
import java.util.UUID;

/** A line as the customer asks for it: product and quantity; the price comes from the catalog. */
public record RequestedLine(UUID productId, int quantity) {
  public RequestedLine {
    Objects.requireNonNull(productId, "productId");
    if (quantity < OrderRequest.MIN_QUANTITY || quantity > OrderRequest.MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity out of range: " + quantity);
    }
  }
}
