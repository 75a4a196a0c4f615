package dev.bazaar.inventory.domain;

import dev.bazaar.platform.validation.InvalidInputException;
import dev.bazaar.platform.http.WholeNumbers;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Units of a product on hand that no order holds. Inventory does not ask product-service whether
 * the product exists: stock may be set for any id, and only ids with stock can be reserved.
 */
public record StockLevel(UUID productId, int available) {
  public static final int MAX_AVAILABLE = 1_000_000_000;

  /** An admin's {@code available}: a whole number from 0 to {@value #MAX_AVAILABLE}. */
  public static int available(Object raw) {
    if (raw == null) {
      throw new InvalidInputException("is required");
    }
    if (!WholeNumbers.isIntegral(raw)) {
      throw new InvalidInputException("must be a whole number");
    }
    OptionalLong value = WholeNumbers.of(raw);
    if (value.isEmpty() || value.getAsLong() < 0 || value.getAsLong() > MAX_AVAILABLE) {
      throw new InvalidInputException("must be from 0 to " + MAX_AVAILABLE);
    }
    return (int) value.getAsLong();
  }
}
