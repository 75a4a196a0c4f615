package dev.bazaar.provider.domain;

/** The full refund of a succeeded charge; at most one per charge. */
public record Refund(String id, String chargeId, long amountCents, String currency, long createdAtMillis) {
}
