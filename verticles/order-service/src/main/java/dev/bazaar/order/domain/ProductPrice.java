package dev.bazaar.order.domain;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** A product's current price in the catalog, as product-service states it. */
public record ProductPrice(UUID productId, long priceCents, String currency) {
  public static final long MAX_PRICE_CENTS = 1_000_000_000_000L;
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  public ProductPrice {
    Objects.requireNonNull(productId, "productId");
    if (priceCents < 0 || priceCents > MAX_PRICE_CENTS) {
      throw new IllegalArgumentException("price out of range: " + priceCents);
    }
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("not an ISO 4217 currency: " + currency);
    }
  }
}
