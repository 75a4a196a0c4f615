package dev.bazaar.payment.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What StockReserved asks of payment-service: charge {@code amountCents} of {@code currency} to
 * {@code token} for the order, before {@code deadline}. Validated: the provider takes 1..100,000,000
 * cents, ISO 4217 currencies and tokens of at most 100 characters.
 */
public record ChargeRequest(UUID orderId, UUID userId, long amountCents, String currency, String token, Instant deadline) {
  public static final long MAX_AMOUNT_CENTS = 100_000_000L;
  public static final int MAX_TOKEN_LENGTH = 100;
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  public ChargeRequest {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(deadline, "deadline");
    if (amountCents < 1 || amountCents > MAX_AMOUNT_CENTS) {
      throw new IllegalArgumentException("totalCents must be 1.." + MAX_AMOUNT_CENTS);
    }
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("currency must be 3 uppercase letters");
    }
    if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException("paymentToken must be 1.." + MAX_TOKEN_LENGTH + " characters");
    }
  }

  /** The order's deadline if known, else {@code occurredAt + defaultDeadlineMs}. */
  public static Instant deadline(Instant known, Instant occurredAt, long defaultDeadlineMs) {
    return known != null ? known : occurredAt.plusMillis(defaultDeadlineMs);
  }
}
