package dev.bazaar.order.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/** A client's {@code Idempotency-Key}: 1 to 100 printable ASCII characters, scoped to the client's user. */
public record IdempotencyKey(String value) {
  public static final int MAX_LENGTH = 100;
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]{1," + MAX_LENGTH + "}");

  public IdempotencyKey {
    if (!isValid(value)) {
      throw new IllegalArgumentException("not a valid idempotency key");
    }
  }

  public static boolean isValid(String value) {
    return value != null && !value.isBlank() && PRINTABLE.matcher(value).matches();
  }

  /** Empty when no key was sent; an {@link IllegalArgumentException} when one was sent but is invalid. */
  public static Optional<IdempotencyKey> parse(String header) {
    return header == null ? Optional.empty() : Optional.of(new IdempotencyKey(header));
  }
}
