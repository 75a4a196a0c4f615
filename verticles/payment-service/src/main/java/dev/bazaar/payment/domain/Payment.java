package dev.bazaar.payment.domain;

import java.time.Instant;
import java.util.UUID;

/** A payment as stored: at most one per order. {@code providerRef} stays inside the service. */
public record Payment(UUID id, UUID orderId, UUID userId, long amountCents, String currency, PaymentStatus status,
                      String providerRef, Instant createdAt) {
}
