package dev.bazaar.order.api;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Ids in requests: only the canonical 8-4-4-4-12 hex form is an id (UUID.fromString also takes "1-1-1-1-1"). */
final class Ids {
  private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Ids() {
  }

  static Optional<UUID> parse(String text) {
    return text != null && UUID_TEXT.matcher(text).matches()
      ? Optional.of(UUID.fromString(text.toLowerCase(Locale.ROOT)))
      : Optional.empty();
  }
}
