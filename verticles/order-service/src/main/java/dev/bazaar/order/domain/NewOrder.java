package dev.bazaar.order.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * An order about to be stored PENDING: the priced request, who placed it, and under which
 * Idempotency-Key. The card token is only here sealed for payment-service (bound to the order id):
 * it goes into {@code OrderCreated} and is not stored.
 */
public record NewOrder(UUID id, UUID userId, List<OrderLine> lines, long totalCents, String currency, String sealedPaymentToken,
                       Optional<IdempotencyKey> idempotencyKey, String requestHash) {
  public NewOrder {
    lines = List.copyOf(lines);
  }

  public static NewOrder of(UUID userId, OrderRequest request, PriceQuote.Priced quote, Optional<IdempotencyKey> key,
                            BiFunction<String, String, String> seal) {
    UUID id = UUID.randomUUID();
    return new NewOrder(id, userId, quote.lines(), quote.totalCents(), quote.currency(),
      seal.apply(request.paymentToken(), id.toString()), key, request.fingerprint());
  }
}
