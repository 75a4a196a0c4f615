package dev.bazaar.product.domain;

import dev.bazaar.platform.validation.FieldError;
import dev.bazaar.platform.validation.Checked;
import java.util.List;
import java.util.Optional;

/**
 * The {@code q} of a catalog search: at most {@value #MAX_LENGTH} characters, matched as a literal
 * substring of name or description, ignoring case. {@code %}, {@code _} and {@code \} in it are
 * escaped, so "100%" finds "100% cotton" and not everything that starts with "100".
 */
public final class SearchTerm {
  public static final int MAX_LENGTH = 100;

  private SearchTerm() {
  }

  /** The ILIKE pattern (escape character {@code \}) for {@code q}; empty when there is nothing to filter by. */
  public static Checked<Optional<String>> likePattern(String q) {
    if (q == null || q.isBlank()) {
      return new Checked<>(Optional.empty(), List.of());
    }
    if (q.length() > MAX_LENGTH) {
      return rejected("must be at most " + MAX_LENGTH + " characters");
    }
    if (q.chars().anyMatch(Character::isISOControl)) {
      return rejected("must not contain control characters");
    }
    StringBuilder pattern = new StringBuilder(q.length() + 8).append('%');
    for (char c : q.strip().toCharArray()) {
      if (c == '%' || c == '_' || c == '\\') {
        pattern.append('\\');
      }
      pattern.append(c);
    }
    return new Checked<>(Optional.of(pattern.append('%').toString()), List.of());
  }

  private static Checked<Optional<String>> rejected(String message) {
    return new Checked<>(Optional.empty(), List.of(new FieldError("q", message)));
  }
}
