package dev.bazaar.notification.domain;

import dev.bazaar.platform.validation.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A notification to store, validated: the user's id, optionally the order's id, a kind (a code
 * such as {@code ORDER_CONFIRMED}: 1 to 64 letters, digits, '_', '.' or '-') and a text of 1 to
 * 1000 characters (trimmed; no NUL, which PostgreSQL cannot store).
 */
public record NewNotification(UUID userId, UUID orderId, String kind, String text) {
  public static final int MAX_KIND = 64;
  public static final int MAX_TEXT = 1000;
  private static final Pattern KIND = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_KIND + "}");

  /** Every rejected field, in field order; empty when valid. */
  public static List<FieldError> problems(Object userId, Object orderId, Object kind, Object text) {
    List<FieldError> problems = new ArrayList<>();
    if (userId == null) {
      problems.add(new FieldError("userId", "is required"));
    } else if (Ids.uuid(userId).isEmpty()) {
      problems.add(new FieldError("userId", "must be a UUID"));
    }
    if (orderId != null && Ids.uuid(orderId).isEmpty()) {
      problems.add(new FieldError("orderId", "must be a UUID when present"));
    }
    if (!(kind instanceof String k) || !KIND.matcher(k).matches()) {
      problems.add(new FieldError("kind", "must be 1 to " + MAX_KIND + " letters, digits, '_', '.' or '-'"));
    }
    if (!(text instanceof String t) || t.isBlank() || t.strip().length() > MAX_TEXT) {
      problems.add(new FieldError("text", "must be 1 to " + MAX_TEXT + " characters"));
    } else if (t.indexOf('\0') >= 0) {
      problems.add(new FieldError("text", "must not contain NUL characters"));
    }
    return problems;
  }

  /** A valid notification; call only when {@link #problems} found none. */
  public static NewNotification of(Object userId, Object orderId, Object kind, Object text) {
    if (!problems(userId, orderId, kind, text).isEmpty()) {
      throw new IllegalArgumentException("invalid notification");
    }
    return new NewNotification(Ids.uuid(userId).orElseThrow(), orderId == null ? null : Ids.uuid(orderId).orElseThrow(),
      (String) kind, ((String) text).strip());
  }
}
