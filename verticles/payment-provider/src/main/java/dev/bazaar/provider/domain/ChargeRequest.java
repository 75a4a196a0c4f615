package dev.bazaar.provider.domain;

import java.util.Objects;

/**
 * A validated request to charge {@code amountCents} of {@code currency} to {@code token}, once per
 * {@code idempotencyKey}.
 */
public record ChargeRequest(String idempotencyKey, CardToken token, long amountCents, String currency) {
  public static final int MAX_KEY_LENGTH = 100;
  public static final long MAX_AMOUNT_CENTS = 100_000_000L;

  public ChargeRequest {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(currency, "currency");
    if (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("idempotencyKey must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    if (amountCents < 1 || amountCents > MAX_AMOUNT_CENTS) {
      throw new IllegalArgumentException("amountCents must be 1 to " + MAX_AMOUNT_CENTS);
    }
    if (!isCurrency(currency)) {
      throw new IllegalArgumentException("currency must be 3 uppercase letters");
    }
    // at most 26^3 distinct values: interning keeps a million stored charges from holding a million copies
    currency = currency.intern();
  }

  public static boolean isCurrency(String value) {
    if (value == null || value.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = value.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code other} asks for the same charge (a replay) rather than a different one under the same key. */
  public boolean sameChargeAs(ChargeRequest other) {
    return token == other.token && amountCents == other.amountCents && currency.equals(other.currency);
  }
}
