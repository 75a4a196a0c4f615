package dev.bazaar.platform.events;

import java.util.List;
import java.util.regex.Pattern;

/** The checks the event records make of their fields; a failed one makes the event malformed (dead-lettered). */
final class Fields {
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  private Fields() {
  }

  static <T> T required(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value;
  }

  static String text(String value, String field) {
    if (required(value, field).isBlank()) {
      throw new IllegalArgumentException(field + " must be a non-empty string");
    }
    return value;
  }

  static long cents(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be a whole number >= 0");
    }
    return value;
  }

  static String currency(String value) {
    if (!CURRENCY.matcher(required(value, "currency")).matches()) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code");
    }
    return value;
  }

  /** The fields of a payment's events. */
  static void money(Object userId, Object paymentId, long amountCents, String currency) {
    required(userId, "userId");
    required(paymentId, "paymentId");
    cents(amountCents, "amountCents");
    currency(currency);
  }

  /** An immutable copy; a null element is malformed too. */
  static <T> List<T> list(List<T> value, String field) {
    if (required(value, field).stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException(field + " holds null");
    }
    return List.copyOf(value);
  }
}
