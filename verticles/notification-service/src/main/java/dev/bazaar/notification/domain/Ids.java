package dev.bazaar.notification.domain;

import java.util.Optional;
import java.util.UUID;

/** Ids are UUIDs in their canonical text form. */
public final class Ids {
  private Ids() {
  }

  /** The UUID {@code value} spells; empty for anything else (wrong type, short or odd spellings). */
  public static Optional<UUID> uuid(Object value) {
    return value instanceof String s ? dev.bazaar.platform.http.Ids.parse(s) : Optional.empty();
  }
}
