package dev.bazaar.notification.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The words users read about their orders' outcomes. */
public final class OrderMessages {
  public static final String ORDER_CONFIRMED = "ORDER_CONFIRMED";
  public static final String ORDER_CANCELLED = "ORDER_CANCELLED";

  private static final Map<String, String> REASONS = Map.of(
    "out_of_stock", "an item is out of stock",
    "payment_failed", "the payment did not go through",
    "deadline_expired", "it could not be completed in time",
    "cancelled_by_user", "you cancelled it",
    "payment_after_cancel", "the payment came after it had expired, and will be refunded");

  private OrderMessages() {
  }

  /** The first 8 characters of the order id: enough for a user to tell their orders apart. */
  public static String shortId(UUID orderId) {
    return orderId.toString().substring(0, 8);
  }

  /** "Your order 1a2b3c4d is confirmed: 12.34 EUR". */
  public static String confirmed(UUID orderId, long totalCents, String currency) {
    return "Your order " + shortId(orderId) + " is confirmed: " + amount(totalCents, currency) + " " + currency + ".";
  }

  /** "Your order 1a2b3c4d was cancelled: the payment did not go through". */
  public static String cancelled(UUID orderId, String reason) {
    return "Your order " + shortId(orderId) + " was cancelled: " + reasonInWords(reason) + ".";
  }

  /** A known reason code in words; an unknown one as its code spelled out, a missing one generically. */
  public static String reasonInWords(String reason) {
    if (reason == null || reason.isBlank()) {
      return "no reason was given";
    }
    String known = REASONS.get(reason.strip().toLowerCase(Locale.ROOT));
    if (known != null) {
      return known;
    }
    String spelled = reason.strip().replace('_', ' ').replace('-', ' ');
    return spelled.length() > 200 ? spelled.substring(0, 200) : spelled;
  }

  /** Minor units in the currency's major unit: 1234 EUR → 12.34, 1234 JPY → 1234; 2 decimals for unknown codes. */
  static String amount(long minorUnits, String currency) {
    int digits = 2;
    try {
      int d = Currency.getInstance(currency).getDefaultFractionDigits();
      if (d >= 0) {
        digits = d;
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      // not an ISO 4217 code we know: cents
    }
    return BigDecimal.valueOf(minorUnits, digits).toPlainString();
  }
}
