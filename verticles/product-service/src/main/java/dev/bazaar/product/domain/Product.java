package dev.bazaar.product.domain;

import java.time.Instant;
import java.util.UUID;

/** A catalog entry as stored. Money is integer cents in an ISO 4217 currency. */
public record Product(UUID id, String sku, String name, String description, int priceCents, String currency,
                      Instant createdAt, Instant updatedAt) {
}
