package dev.bazaar.order.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An order about to be stored PENDING: the priced request, who placed it, and under which Idempotency-Key. */
public record NewOrder(UUID id, UUID userId, List<OrderLine> lines, long totalCents, String currency, String paymentToken,
                       Optional<IdempotencyKey> idempotencyKey, String requestHash) {
  public NewOrder {
    lines = List.copyOf(lines);
  }

  public static NewOrder of(UUID userId, OrderRequest request, PriceQuote.Priced quote, Optional<IdempotencyKey> key) {
    return new NewOrder(UUID.randomUUID(), userId, quote.lines(), quote.totalCents(), quote.currency(),
      request.paymentToken(), key, request.fingerprint());
  }
}
