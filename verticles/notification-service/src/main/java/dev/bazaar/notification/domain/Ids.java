package dev.bazaar.notification.domain;

import java.util.Optional;
import java.util.UUID;

/** Ids are UUIDs in their canonical text form. */
public final class Ids {
  private Ids() {
  }

  /** The UUID {@code value} spells; empty for anything else (wrong type, short or odd spellings). */
  public static Optional<UUID> uuid(Object value) {
    if (!(value instanceof String s) || s.length() != 36) {
      return Optional.empty();
    }
    try {
      UUID uuid = UUID.fromString(s);
      return uuid.toString().equalsIgnoreCase(s) ? Optional.of(uuid) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
